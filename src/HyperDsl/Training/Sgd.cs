using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using HyperDsl.Checkpoints;

namespace HyperDsl.Training;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight decay, with the
/// update rule and defaults of <c>torch.optim.SGD</c>.
/// </summary>
/// <remarks>
/// g ← ∇ + λ·p; b ← μ·b + (1 − τ)·g (b = g on the first step); g ← g + μ·b with Nesterov, else g ← b; p ← p − η·g.
/// </remarks>
public sealed class Sgd : IOptimizer, IOptimizerCheckpoint, IModelOptimizer
{
    private readonly SgdUpdate update;

    // The state by its name in torch.optim, built once: the regulariser's look-ahead reads it every step.
    private KeyValuePair<string, float[]>[]? buffers;

    /// <summary>Creates the optimizer for <paramref name="parameterCount"/> parameters.</summary>
    /// <param name="parameterCount">How many parameters it updates.</param>
    /// <param name="learningRate">η, at least 0.</param>
    /// <param name="momentum">μ, at least 0.</param>
    /// <param name="dampening">τ, in [0, 1].</param>
    /// <param name="weightDecay">λ, an L2 penalty added to the gradient, at least 0.</param>
    /// <param name="nesterov">Whether to use Nesterov momentum (needs μ &gt; 0 and τ = 0).</param>
    public Sgd(int parameterCount, float learningRate = 1e-3f, float momentum = 0f, float dampening = 0f, float weightDecay = 0f, bool nesterov = false)
        : this(null, parameterCount, learningRate, momentum, dampening, weightDecay, nesterov)
    {
    }

    /// <summary>
    /// Creates the optimizer for a model's θ. Its steps follow the model's <see cref="IHyperModel.Threads"/>: with 2,
    /// θ is updated on two threads, split where the model's step splits it.
    /// </summary>
    /// <param name="model">The model whose θ it updates.</param>
    /// <param name="learningRate">η, at least 0.</param>
    /// <param name="momentum">μ, at least 0.</param>
    /// <param name="dampening">τ, in [0, 1].</param>
    /// <param name="weightDecay">λ, an L2 penalty added to the gradient, at least 0.</param>
    /// <param name="nesterov">Whether to use Nesterov momentum (needs μ &gt; 0 and τ = 0).</param>
    public Sgd(IHyperModel model, float learningRate = 1e-3f, float momentum = 0f, float dampening = 0f, float weightDecay = 0f, bool nesterov = false)
        : this(model ?? throw new ArgumentNullException(nameof(model)), model.ParameterCount, learningRate, momentum, dampening, weightDecay, nesterov)
    {
    }

    private Sgd(IHyperModel? model, int parameterCount, float learningRate, float momentum, float dampening, float weightDecay, bool nesterov)
    {
        OptimizerArguments.Count(parameterCount);
        OptimizerArguments.NonNegative(nameof(learningRate), learningRate);
        OptimizerArguments.NonNegative(nameof(momentum), momentum);
        OptimizerArguments.InRange(nameof(dampening), dampening, 0f, 1f);
        OptimizerArguments.NonNegative(nameof(weightDecay), weightDecay);
        if (nesterov && (momentum <= 0f || dampening != 0f))
        {
            throw new ArgumentException("Nesterov momentum needs momentum > 0 and dampening = 0.", nameof(nesterov));
        }

        LearningRate = learningRate;
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        ParameterCount = parameterCount;
        update = new SgdUpdate(this, model, new float[momentum > 0f ? parameterCount : 0]);
    }

    /// <inheritdoc/>
    public float LearningRate { get; set; }

    /// <summary>μ.</summary>
    public float Momentum { get; }

    /// <summary>τ.</summary>
    public float Dampening { get; }

    /// <summary>λ.</summary>
    public float WeightDecay { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <summary>How many parameters it updates.</summary>
    public int ParameterCount { get; }

    /// <inheritdoc/>
    public int StepCount { get; private set; }

    /// <summary>The momentum buffer b (empty without momentum), for checkpoints.</summary>
    public Span<float> MomentumBuffer => update.MomentumBuffer;

    /// <summary>The model this optimizer was created for, whose Threads its steps follow; null when created for a count.</summary>
    public IHyperModel? Model => update.Model;

    /// <inheritdoc/>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        OptimizerArguments.Lengths(ParameterCount, parameters, gradients);
        StepCount++;
        update.Run(parameters, gradients);
    }

    /// <inheritdoc/>
    public void Reset()
    {
        StepCount = 0;
        Array.Clear(update.MomentumBuffer);
    }

    string IOptimizerCheckpoint.CheckpointKind => "SGD";

    string IOptimizerCheckpoint.CheckpointSettings => string.Create(
        CultureInfo.InvariantCulture,
        $"lr={LearningRate}, momentum={Momentum}, dampening={Dampening}, weight_decay={WeightDecay}, nesterov={Nesterov}");

    IReadOnlyList<KeyValuePair<string, float[]>> IOptimizerCheckpoint.CheckpointBuffers =>
        buffers ??= update.MomentumBuffer.Length == 0 ? [] : [new("momentum_buffer", update.MomentumBuffer)];

    int IOptimizerCheckpoint.CheckpointStepCount { get => StepCount; set => StepCount = value; }

    /// <summary>The update rule over a range of elements, with the momentum buffer.</summary>
    private sealed class SgdUpdate(Sgd settings, IHyperModel? model, float[] momentumBuffer) : PartitionedUpdate(model)
    {
        public float[] MomentumBuffer { get; } = momentumBuffer;

        public void Run(Span<float> parameters, ReadOnlySpan<float> gradients) => UpdateAll(parameters, gradients);

        protected override void Update(Span<float> allParameters, ReadOnlySpan<float> allGradients, int start, int end)
        {
            Span<float> parameters = allParameters[start..end];
            ReadOnlySpan<float> gradients = allGradients[start..end];
            float rate = settings.LearningRate;
            float decay = settings.WeightDecay;
            float momentum = settings.Momentum;
            float kept = 1f - settings.Dampening;
            bool first = settings.StepCount == 1;
            int count = Vector<float>.Count;
            int i = 0;
            if (momentum == 0f)
            {
                for (; i <= parameters.Length - count; i += count)
                {
                    var p = new Vector<float>(parameters[i..]);
                    var g = new Vector<float>(gradients[i..]) + (p * decay);
                    (p - (g * rate)).CopyTo(parameters[i..]);
                }

                for (; i < parameters.Length; i++)
                {
                    float g = gradients[i] + (parameters[i] * decay);
                    parameters[i] -= rate * g;
                }

                return;
            }

            Span<float> buffer = MomentumBuffer.AsSpan(start, end - start);
            for (; i <= parameters.Length - count; i += count)
            {
                var p = new Vector<float>(parameters[i..]);
                var g = new Vector<float>(gradients[i..]) + (p * decay);
                Vector<float> b = first ? g : (new Vector<float>(buffer[i..]) * momentum) + (g * kept);
                b.CopyTo(buffer[i..]);
                Vector<float> direction = settings.Nesterov ? g + (b * momentum) : b;
                (p - (direction * rate)).CopyTo(parameters[i..]);
            }

            for (; i < parameters.Length; i++)
            {
                float g = gradients[i] + (parameters[i] * decay);
                float b = first ? g : (buffer[i] * momentum) + (g * kept);
                buffer[i] = b;
                float direction = settings.Nesterov ? g + (b * momentum) : b;
                parameters[i] -= rate * direction;
            }
        }
    }
}
