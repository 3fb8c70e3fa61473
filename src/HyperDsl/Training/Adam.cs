using System;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Collections.Generic;
using System.Globalization;
using HyperDsl.Checkpoints;
using HyperDsl.Kernels;

namespace HyperDsl.Training;

/// <summary>
/// Adam (Kingma and Ba, 2015) with the update rule and defaults of <c>torch.optim.Adam</c>: bias-corrected moments,
/// ε added after the square root of the corrected second moment, optional L2 weight decay added to the gradient.
/// </summary>
/// <remarks>
/// g ← ∇ + λ·p; m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; p ← p − η·(m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε).
/// One fused pass over memory per step.
/// </remarks>
public sealed class Adam : IOptimizer, IOptimizerCheckpoint, IModelOptimizer
{
    private readonly AdamState state;

    /// <summary>Creates the optimizer for <paramref name="parameterCount"/> parameters.</summary>
    /// <param name="parameterCount">How many parameters it updates.</param>
    /// <param name="learningRate">η, at least 0.</param>
    /// <param name="beta1">β₁, in [0, 1).</param>
    /// <param name="beta2">β₂, in [0, 1).</param>
    /// <param name="epsilon">ε, greater than 0.</param>
    /// <param name="weightDecay">λ, an L2 penalty added to the gradient, at least 0.</param>
    public Adam(int parameterCount, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f)
    {
        state = new AdamState(null, parameterCount, learningRate, beta1, beta2, epsilon, weightDecay);
    }

    /// <summary>
    /// Creates the optimizer for a model's θ. Its steps follow the model's <see cref="IHyperModel.Threads"/>: with 2,
    /// θ is updated on two threads, split where the model's step splits it.
    /// </summary>
    /// <param name="model">The model whose θ it updates.</param>
    /// <param name="learningRate">η, at least 0.</param>
    /// <param name="beta1">β₁, in [0, 1).</param>
    /// <param name="beta2">β₂, in [0, 1).</param>
    /// <param name="epsilon">ε, greater than 0.</param>
    /// <param name="weightDecay">λ, an L2 penalty added to the gradient, at least 0.</param>
    public Adam(IHyperModel model, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f)
    {
        ArgumentNullException.ThrowIfNull(model);
        state = new AdamState(model, model.ParameterCount, learningRate, beta1, beta2, epsilon, weightDecay);
    }

    /// <inheritdoc/>
    public float LearningRate { get => state.LearningRate; set => state.LearningRate = value; }

    /// <summary>β₁.</summary>
    public float Beta1 => state.Beta1;

    /// <summary>β₂.</summary>
    public float Beta2 => state.Beta2;

    /// <summary>ε.</summary>
    public float Epsilon => state.Epsilon;

    /// <summary>λ, the L2 penalty.</summary>
    public float WeightDecay => state.WeightDecay;

    /// <inheritdoc/>
    public int StepCount => state.StepCount;

    /// <summary>The first moments m, for checkpoints.</summary>
    public Span<float> FirstMoment => state.FirstMoment;

    /// <summary>The second moments v, for checkpoints.</summary>
    public Span<float> SecondMoment => state.SecondMoment;

    /// <summary>The model this optimizer was created for, whose Threads its steps follow; null when created for a count.</summary>
    public IHyperModel? Model => state.Model;

    /// <inheritdoc/>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients) => state.Step(parameters, gradients, decoupledDecay: 0f);

    /// <inheritdoc/>
    public void Reset() => state.Reset();

    string IOptimizerCheckpoint.CheckpointKind => "Adam";

    string IOptimizerCheckpoint.CheckpointSettings => state.Settings;

    IReadOnlyList<KeyValuePair<string, float[]>> IOptimizerCheckpoint.CheckpointBuffers => state.Buffers;

    int IOptimizerCheckpoint.CheckpointStepCount { get => state.StepCount; set => state.StepCount = value; }

    /// <summary>
    /// One Adam update of <paramref name="parameters"/> with the caller's moment buffers — for small problems that keep
    /// their state on the stack, such as fitting a task embedding.
    /// </summary>
    /// <param name="parameters">Updated in place.</param>
    /// <param name="gradients">The gradients.</param>
    /// <param name="firstMoment">m, same length, updated.</param>
    /// <param name="secondMoment">v, same length, updated.</param>
    /// <param name="step">The step number t, from 1.</param>
    /// <param name="learningRate">η.</param>
    /// <param name="beta1">β₁.</param>
    /// <param name="beta2">β₂.</param>
    /// <param name="epsilon">ε.</param>
    public static void Update(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> firstMoment, Span<float> secondMoment, int step, float learningRate, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
    {
        int length = parameters.Length;
        if (gradients.Length != length || firstMoment.Length != length || secondMoment.Length != length)
        {
            throw new ArgumentException("parameters, gradients and both moments must have the same length.");
        }

        if (step < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "The step number starts at 1.");
        }

        AdamState.Apply(parameters, gradients, firstMoment, secondMoment, step, learningRate, beta1, beta2, epsilon, 0f, 0f);
    }
}

/// <summary>
/// AdamW (Loshchilov and Hutter, 2019) with the update rule and defaults of <c>torch.optim.AdamW</c>: Adam, with the
/// weight decay applied to the parameters directly (p ← p·(1 − η·λ)) instead of to the gradient.
/// </summary>
public sealed class AdamW : IOptimizer, IOptimizerCheckpoint, IModelOptimizer
{
    private readonly AdamState state;

    /// <summary>Creates the optimizer for <paramref name="parameterCount"/> parameters.</summary>
    /// <param name="parameterCount">How many parameters it updates.</param>
    /// <param name="learningRate">η, at least 0.</param>
    /// <param name="beta1">β₁, in [0, 1).</param>
    /// <param name="beta2">β₂, in [0, 1).</param>
    /// <param name="epsilon">ε, greater than 0.</param>
    /// <param name="weightDecay">λ, the decoupled decay, at least 0 (PyTorch's default 0.01).</param>
    public AdamW(int parameterCount, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 1e-2f)
    {
        state = new AdamState(null, parameterCount, learningRate, beta1, beta2, epsilon, weightDecay);
    }

    /// <summary>
    /// Creates the optimizer for a model's θ. Its steps follow the model's <see cref="IHyperModel.Threads"/>: with 2,
    /// θ is updated on two threads, split where the model's step splits it.
    /// </summary>
    /// <param name="model">The model whose θ it updates.</param>
    /// <param name="learningRate">η, at least 0.</param>
    /// <param name="beta1">β₁, in [0, 1).</param>
    /// <param name="beta2">β₂, in [0, 1).</param>
    /// <param name="epsilon">ε, greater than 0.</param>
    /// <param name="weightDecay">λ, the decoupled decay, at least 0 (PyTorch's default 0.01).</param>
    public AdamW(IHyperModel model, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 1e-2f)
    {
        ArgumentNullException.ThrowIfNull(model);
        state = new AdamState(model, model.ParameterCount, learningRate, beta1, beta2, epsilon, weightDecay);
    }

    /// <inheritdoc/>
    public float LearningRate { get => state.LearningRate; set => state.LearningRate = value; }

    /// <summary>λ, the decoupled decay.</summary>
    public float WeightDecay => state.WeightDecay;

    /// <inheritdoc/>
    public int StepCount => state.StepCount;

    /// <summary>The first moments m, for checkpoints.</summary>
    public Span<float> FirstMoment => state.FirstMoment;

    /// <summary>The second moments v, for checkpoints.</summary>
    public Span<float> SecondMoment => state.SecondMoment;

    /// <summary>The model this optimizer was created for, whose Threads its steps follow; null when created for a count.</summary>
    public IHyperModel? Model => state.Model;

    /// <inheritdoc/>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients) => state.Step(parameters, gradients, decoupledDecay: state.WeightDecay);

    /// <inheritdoc/>
    public void Reset() => state.Reset();

    string IOptimizerCheckpoint.CheckpointKind => "AdamW";

    string IOptimizerCheckpoint.CheckpointSettings => state.Settings;

    IReadOnlyList<KeyValuePair<string, float[]>> IOptimizerCheckpoint.CheckpointBuffers => state.Buffers;

    int IOptimizerCheckpoint.CheckpointStepCount { get => state.StepCount; set => state.StepCount = value; }
}

/// <summary>The moments and settings Adam and AdamW share, and their fused update.</summary>
internal sealed class AdamState : PartitionedUpdate
{
    private readonly float[] firstMoment;
    private readonly float[] secondMoment;
    private float stepDecoupledDecay;

    // The moments by their names in torch.optim, built once: the regulariser's look-ahead reads them every step.
    private KeyValuePair<string, float[]>[]? buffers;

    public AdamState(IHyperModel? model, int parameterCount, float learningRate, float beta1, float beta2, float epsilon, float weightDecay)
        : base(model)
    {
        OptimizerArguments.Count(parameterCount);
        OptimizerArguments.NonNegative(nameof(learningRate), learningRate);
        OptimizerArguments.InRange(nameof(beta1), beta1, 0f, 1f, highExcluded: true);
        OptimizerArguments.InRange(nameof(beta2), beta2, 0f, 1f, highExcluded: true);
        OptimizerArguments.Positive(nameof(epsilon), epsilon);
        OptimizerArguments.NonNegative(nameof(weightDecay), weightDecay);
        firstMoment = new float[parameterCount];
        secondMoment = new float[parameterCount];
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    public float LearningRate { get; set; }

    public float Beta1 { get; }

    public float Beta2 { get; }

    public float Epsilon { get; }

    public float WeightDecay { get; }

    public int StepCount { get; set; }

    public Span<float> FirstMoment => firstMoment;

    /// <summary>The moments under their names in <c>torch.optim.Adam</c>'s state.</summary>
    public IReadOnlyList<KeyValuePair<string, float[]>> Buffers => buffers ??= [new("exp_avg", firstMoment), new("exp_avg_sq", secondMoment)];

    /// <summary>The settings, for a checkpoint's metadata.</summary>
    public string Settings => string.Create(
        CultureInfo.InvariantCulture,
        $"lr={LearningRate}, betas=({Beta1}, {Beta2}), eps={Epsilon}, weight_decay={WeightDecay}");

    public Span<float> SecondMoment => secondMoment;

    /// <summary>An Adam step; the weight decay goes into the gradient (Adam) or, when decoupled, onto the parameters (AdamW).</summary>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients, float decoupledDecay)
    {
        OptimizerArguments.Lengths(firstMoment.Length, parameters, gradients);
        StepCount++;
        stepDecoupledDecay = decoupledDecay;
        UpdateAll(parameters, gradients);
    }

    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int start, int end)
    {
        float coupledDecay = stepDecoupledDecay > 0f ? 0f : WeightDecay;
        Apply(
            parameters[start..end],
            gradients[start..end],
            firstMoment.AsSpan(start, end - start),
            secondMoment.AsSpan(start, end - start),
            StepCount,
            LearningRate,
            Beta1,
            Beta2,
            Epsilon,
            coupledDecay,
            stepDecoupledDecay);
    }

    public void Reset()
    {
        StepCount = 0;
        Array.Clear(firstMoment);
        Array.Clear(secondMoment);
    }

    /// <summary>The fused update, one pass over p, g, m and v.</summary>
    public static void Apply(
        Span<float> parameters,
        ReadOnlySpan<float> gradients,
        Span<float> firstMoment,
        Span<float> secondMoment,
        int step,
        float learningRate,
        float beta1,
        float beta2,
        float epsilon,
        float coupledDecay,
        float decoupledDecay)
    {
        float stepSize = (float)(learningRate / (1.0 - Math.Pow(beta1, step)));
        float inverseRootCorrection = (float)(1.0 / Math.Sqrt(1.0 - Math.Pow(beta2, step)));
        float shrink = 1f - (learningRate * decoupledDecay);
        float keep1 = 1f - beta1;
        float keep2 = 1f - beta2;
        // The update is bound by memory (four floats read and three written per parameter), so it runs in one pass
        // with the widest vector, on references rather than slices.
        ref float pr = ref MemoryMarshal.GetReference(parameters);
        ref float gr = ref MemoryMarshal.GetReference(gradients);
        ref float mr = ref MemoryMarshal.GetReference(firstMoment);
        ref float vr = ref MemoryMarshal.GetReference(secondMoment);
        int length = parameters.Length;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                nuint at = (nuint)i;
                Vector512<float> p = Vector512.LoadUnsafe(ref pr, at);
                Vector512<float> g = Vector512.LoadUnsafe(ref gr, at) + (p * coupledDecay);
                Vector512<float> m = (Vector512.LoadUnsafe(ref mr, at) * beta1) + (g * keep1);
                Vector512<float> v = (Vector512.LoadUnsafe(ref vr, at) * beta2) + (g * g * keep2);
                m.StoreUnsafe(ref mr, at);
                v.StoreUnsafe(ref vr, at);
                Vector512<float> denominator = (Vector512.Sqrt(v) * inverseRootCorrection) + Vector512.Create(epsilon);
                ((p * shrink) - (m * stepSize / denominator)).StoreUnsafe(ref pr, at);
            }
        }

        int count = Vector<float>.Count;
        for (; i <= length - count; i += count)
        {
            Vector<float> p = VectorMemory.Load(ref pr, i);
            Vector<float> g = VectorMemory.Load(ref gr, i) + (p * coupledDecay);
            Vector<float> m = (VectorMemory.Load(ref mr, i) * beta1) + (g * keep1);
            Vector<float> v = (VectorMemory.Load(ref vr, i) * beta2) + (g * g * keep2);
            VectorMemory.Store(m, ref mr, i);
            VectorMemory.Store(v, ref vr, i);
            Vector<float> denominator = (Vector.SquareRoot(v) * inverseRootCorrection) + new Vector<float>(epsilon);
            VectorMemory.Store((p * shrink) - (m * stepSize / denominator), ref pr, i);
        }

        for (; i < parameters.Length; i++)
        {
            float p = parameters[i];
            float g = gradients[i] + (p * coupledDecay);
            float m = (firstMoment[i] * beta1) + (g * keep1);
            float v = (secondMoment[i] * beta2) + (g * g * keep2);
            firstMoment[i] = m;
            secondMoment[i] = v;
            float denominator = (MathF.Sqrt(v) * inverseRootCorrection) + epsilon;
            parameters[i] = (p * shrink) - (m * stepSize / denominator);
        }
    }
}
