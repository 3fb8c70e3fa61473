using System;
using System.Numerics.Tensors;
using HyperDsl.Kernels;

namespace HyperDsl.Training;

/// <summary>Settings of <see cref="FewShot.Adapt"/> and <see cref="FewShot.AdaptCondition"/>.</summary>
public sealed class FewShotOptions
{
    /// <summary>Adam steps on the fitted vector. Default 100.</summary>
    public int Steps { get; init; } = 100;

    /// <summary>Adam's learning rate for the fitted vector. Default 0.05.</summary>
    public float LearningRate { get; init; } = 0.05f;

    /// <summary>
    /// λ of an L2 pull towards the start, λ·‖e − e₀‖²/2 added to the support loss: with very few support points it keeps
    /// the fit near the tasks the hypernetwork was trained on. Default 0.
    /// </summary>
    public float Regularization { get; init; }

    /// <summary>
    /// Rows of the task-embedding table tried as starts besides the given embedding, spread evenly over the table; the
    /// steps start from the one with the lowest support loss (<see cref="FewShot.Adapt"/> only). A few dozen avoid the
    /// poor local minima a single start falls into, and the dead region where a mean of the table can sit (every ReLU
    /// of the body off, a gradient of exactly zero). Default 64; 0 starts from the given embedding alone.
    /// </summary>
    public int StartCandidates { get; init; } = 64;
}

/// <summary>What an adaptation did.</summary>
/// <param name="Loss">The support loss with the fitted vector.</param>
/// <param name="StartLoss">The support loss at the start the steps began from.</param>
/// <param name="StartTask">The table row the steps began from, or −1 for the vector the caller passed.</param>
/// <param name="ZeroGradientStarts">Starts passed over because the gradient there was exactly zero (nothing to follow).</param>
/// <param name="Stalled">
/// True when the gradient was exactly zero at every start tried: the vector is the best start, unmoved, and the fit
/// says nothing about the support points beyond that start's loss.
/// </param>
public readonly record struct AdaptationResult(float Loss, float StartLoss, int StartTask, int ZeroGradientStarts, bool Stalled);

/// <summary>
/// Few-shot adaptation: with θ frozen, fit the task's embedding (or, for a hypernetwork conditioned by a descriptor, its
/// condition vector) to a few support points of a task never seen in training, by gradient steps through the generated
/// code; then predict with W = g(z).
/// </summary>
/// <remarks>
/// The fit starts from the best of several candidates (<see cref="FewShotOptions.StartCandidates"/>); a start where the
/// gradient is exactly zero is passed over for the next best, and when every start is such a point the result says so
/// (<see cref="AdaptationResult.Stalled"/>) rather than reporting a fit that never moved. Allocation-free for vectors
/// of up to 1024 floats and up to 1024 candidates.
/// </remarks>
public static class FewShot
{
    private static readonly FewShotOptions Defaults = new();

    /// <summary>Writes the mean of the learned task embeddings: a zero-shot guess, and one of the starts Adapt tries.</summary>
    /// <param name="model">The hypernetwork.</param>
    /// <param name="destination">Receives the mean, EmbeddingSize floats.</param>
    /// <exception cref="ArgumentException">The model has no embedding table, or the destination has the wrong length.</exception>
    public static void MeanEmbedding(IHyperModel model, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(model);
        int size = model.EmbeddingSize;
        if (model.Tasks == 0 || size == 0)
        {
            throw new ArgumentException("The hypernetwork has no task-embedding table to average.", nameof(model));
        }

        if (destination.Length != size)
        {
            throw new ArgumentException($"destination must hold EmbeddingSize = {size} floats, but holds {destination.Length}.", nameof(destination));
        }

        ReadOnlySpan<float> table = model.TaskEmbeddings;
        destination.Clear();
        for (int task = 0; task < model.Tasks; task++)
        {
            TensorPrimitives.Add(destination, table.Slice(task * size, size), destination);
        }

        TensorPrimitives.Divide(destination, model.Tasks, destination);
    }

    /// <summary>
    /// Fits <paramref name="embedding"/> to the support set with Adam, θ frozen: the steps start from the best of the
    /// given embedding and <see cref="FewShotOptions.StartCandidates"/> rows of the table. θ and the model's gradients
    /// are left unchanged.
    /// </summary>
    /// <param name="model">The trained hypernetwork, with a task-embedding table.</param>
    /// <param name="supportInputs">The support samples, <c>[samples × InputSize]</c>.</param>
    /// <param name="supportTargets">Their targets, <c>[samples × OutputSize]</c>.</param>
    /// <param name="samples">The number of support samples, at most the model's MaxSamplesPerTask.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="embedding">The embedding: read as one of the starts, written with the fit.</param>
    /// <param name="condition">The task's condition vector, when the hypernetwork also takes one.</param>
    /// <param name="options">Steps, learning rate, regularisation and starts; the defaults when null.</param>
    /// <returns>The support loss and where the fit started.</returns>
    /// <exception cref="ArgumentException">The model has no embedding table, or a span or option does not fit it; nothing has been written.</exception>
    public static AdaptationResult Adapt(
        IHyperModel model,
        ReadOnlySpan<float> supportInputs,
        ReadOnlySpan<float> supportTargets,
        int samples,
        Loss loss,
        Span<float> embedding,
        ReadOnlySpan<float> condition = default,
        FewShotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= Defaults;
        CheckOptions(options);
        if (model.EmbeddingSize == 0)
        {
            throw new ArgumentException("The hypernetwork has no task embedding to adapt; its tasks are given by condition vectors (see FewShot.AdaptCondition).", nameof(model));
        }

        if (embedding.Length != model.EmbeddingSize)
        {
            throw new ArgumentException($"embedding must hold EmbeddingSize = {model.EmbeddingSize} floats, but holds {embedding.Length}.", nameof(embedding));
        }

        SupportSet.Check(model, supportInputs, supportTargets, samples, loss);
        int outputCount = samples * model.OutputSize;
        Span<float> outputs = outputCount <= 4096 ? stackalloc float[outputCount] : new float[outputCount];
        var task = new SupportSet(model, supportInputs, supportTargets, samples, loss, outputs);
        return Fit(task, embedding, condition, fitCondition: false, options.StartCandidates, options);
    }

    /// <summary>
    /// Fits the condition vector of a task whose descriptor is not known to the support set with Adam, θ frozen,
    /// starting from <paramref name="condition"/> (for example the mean of the training tasks' descriptors). θ and the
    /// model's gradients are left unchanged.
    /// </summary>
    /// <param name="model">The trained hypernetwork, conditioned by a condition vector.</param>
    /// <param name="supportInputs">The support samples, <c>[samples × InputSize]</c>.</param>
    /// <param name="supportTargets">Their targets, <c>[samples × OutputSize]</c>.</param>
    /// <param name="samples">The number of support samples, at most the model's MaxSamplesPerTask.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="condition">The condition: read as the start, written with the fit.</param>
    /// <param name="embedding">The task's embedding, when the hypernetwork also has a table.</param>
    /// <param name="options">Steps, learning rate and regularisation (StartCandidates does not apply); the defaults when null.</param>
    /// <returns>The support loss.</returns>
    /// <exception cref="ArgumentException">The model takes no condition, or a span or option does not fit it; nothing has been written.</exception>
    public static AdaptationResult AdaptCondition(
        IHyperModel model,
        ReadOnlySpan<float> supportInputs,
        ReadOnlySpan<float> supportTargets,
        int samples,
        Loss loss,
        Span<float> condition,
        ReadOnlySpan<float> embedding = default,
        FewShotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= Defaults;
        CheckOptions(options);
        if (model.ConditionSize == 0)
        {
            throw new ArgumentException("The hypernetwork takes no condition vector to adapt; its tasks are rows of its embedding table (see FewShot.Adapt).", nameof(model));
        }

        if (condition.Length != model.ConditionSize)
        {
            throw new ArgumentException($"condition must hold ConditionSize = {model.ConditionSize} floats, but holds {condition.Length}.", nameof(condition));
        }

        SupportSet.Check(model, supportInputs, supportTargets, samples, loss);
        int outputCount = samples * model.OutputSize;
        Span<float> outputs = outputCount <= 4096 ? stackalloc float[outputCount] : new float[outputCount];
        var task = new SupportSet(model, supportInputs, supportTargets, samples, loss, outputs);
        return Fit(task, condition, embedding, fitCondition: true, candidates: 0, options);
    }

    private static void CheckOptions(FewShotOptions options)
    {
        if (options.Steps < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Steps, "options.Steps must be at least 0.");
        }

        if (!(options.LearningRate >= 0f) || !float.IsFinite(options.LearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.LearningRate, "options.LearningRate must be a finite number, at least 0.");
        }

        if (!(options.Regularization >= 0f) || !float.IsFinite(options.Regularization))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Regularization, "options.Regularization must be a finite number, at least 0.");
        }

        if (options.StartCandidates < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.StartCandidates, "options.StartCandidates must be at least 0.");
        }
    }

    /// <summary>
    /// The fit of <paramref name="vector"/> (the embedding, or the condition when <paramref name="fitCondition"/>), with
    /// <paramref name="other"/> the part of z held fixed: candidates ranked by support loss, the best with a non-zero
    /// gradient as the start, then Adam.
    /// </summary>
    private static AdaptationResult Fit(SupportSet task, Span<float> vector, ReadOnlySpan<float> other, bool fitCondition, int candidates, FewShotOptions options)
    {
        IHyperModel model = task.Model;
        int size = vector.Length;
        int count = 1 + Math.Min(candidates, model.Tasks);
        bool onStack = size <= 1024 && count <= 1024;
        Span<float> buffers = onStack ? stackalloc float[(5 * size) + count] : new float[(5 * size) + count];
        buffers.Clear();
        Span<float> gradient = buffers[..size];
        Span<float> firstMoment = buffers.Slice(size, size);
        Span<float> secondMoment = buffers.Slice(2 * size, size);
        Span<float> start = buffers.Slice(3 * size, size);
        Span<float> given = buffers.Slice(4 * size, size);
        Span<float> losses = buffers.Slice(5 * size, count);
        vector.CopyTo(given);

        // Rank the starts by support loss: candidate 0 is the caller's vector, the others rows of the table.
        for (int c = 0; c < count; c++)
        {
            ReadOnlySpan<float> candidate = c == 0 ? given : model.TaskEmbeddings.Slice(CandidateTask(model, c, count) * size, size);
            losses[c] = fitCondition ? task.Loss(other, candidate) : task.Loss(candidate, other);
        }

        // The best start whose gradient is not exactly zero; a zero gradient gives the steps nothing to follow.
        int zeroGradientStarts = 0;
        int chosen = -1;
        float startLoss = float.NaN;
        while (true)
        {
            int best = -1;
            for (int c = 0; c < count; c++)
            {
                if (!float.IsNaN(losses[c]) && (best < 0 || losses[c] < losses[best]))
                {
                    best = c;
                }
            }

            if (best < 0)
            {
                break;
            }

            (best == 0 ? given : model.TaskEmbeddings.Slice(CandidateTask(model, best, count) * size, size)).CopyTo(start);
            startLoss = task.Gradient(start, other, fitCondition, gradient);
            if (TensorPrimitives.MaxMagnitude(gradient) != 0f)
            {
                chosen = best;
                break;
            }

            zeroGradientStarts++;
            if (chosen < 0 && zeroGradientStarts == 1)
            {
                // Keep the best start in hand in case every start is flat.
                start.CopyTo(vector);
            }

            losses[best] = float.NaN;
        }

        int startTask = chosen <= 0 ? -1 : CandidateTask(model, chosen, count);
        if (chosen < 0)
        {
            // Every start is flat: return the best one, unmoved, and say so.
            float flatLoss = fitCondition ? task.Loss(other, vector) : task.Loss(vector, other);
            return new AdaptationResult(flatLoss, flatLoss, -1, zeroGradientStarts, Stalled: true);
        }

        start.CopyTo(vector);
        for (int step = 1; step <= options.Steps; step++)
        {
            if (step > 1)
            {
                task.Gradient(vector, other, fitCondition, gradient);
            }

            if (options.Regularization > 0f)
            {
                // ∂/∂e of λ‖e − e₀‖²/2 is λ(e − e₀).
                for (int i = 0; i < size; i++)
                {
                    gradient[i] += options.Regularization * (vector[i] - start[i]);
                }
            }

            Adam.Update(vector, gradient, firstMoment, secondMoment, step, options.LearningRate);
        }

        float fitted = fitCondition ? task.Loss(other, vector) : task.Loss(vector, other);
        return new AdaptationResult(fitted, startLoss, startTask, zeroGradientStarts, Stalled: false);
    }

    /// <summary>The table row of candidate <paramref name="c"/> (1 … count − 1), spread evenly over the table.</summary>
    private static int CandidateTask(IHyperModel model, int c, int count) => (int)((long)(c - 1) * model.Tasks / (count - 1));

    /// <summary>A task's support points, the model they are fitted with, and room for its predictions.</summary>
    private readonly ref struct SupportSet(IHyperModel model, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int samples, Loss loss, Span<float> outputs)
    {
        private readonly ReadOnlySpan<float> inputs = inputs;
        private readonly ReadOnlySpan<float> targets = targets;
        private readonly Span<float> outputs = outputs;

        public IHyperModel Model { get; } = model;

        /// <summary>Checks what the model's own calls do not before the fit writes anything: the counts and lengths.</summary>
        public static void Check(IHyperModel model, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int samples, Loss loss)
        {
            if (!LossCheck.IsDefined(loss))
            {
                throw new ArgumentOutOfRangeException(nameof(loss), loss, $"{(int)loss} is not a member of HyperDsl.Loss.");
            }

            if (samples < 1 || samples > model.MaxSamplesPerTask)
            {
                throw new ArgumentOutOfRangeException(nameof(samples), samples, $"samples must be from 1 to {model.MaxSamplesPerTask}, the capacity the model was built for.");
            }

            if (inputs.Length != (long)samples * model.InputSize)
            {
                throw new ArgumentException($"supportInputs holds {inputs.Length} floats; {samples} samples × InputSize {model.InputSize} are needed.", "supportInputs");
            }

            if (targets.Length != (long)samples * model.OutputSize)
            {
                throw new ArgumentException($"supportTargets holds {targets.Length} floats; {samples} samples × OutputSize {model.OutputSize} are needed.", "supportTargets");
            }

            FiniteCheck.Require("FewShot", "supportInputs", inputs);
            LossCheck.RequireTargets("FewShot", "supportTargets", targets, model.OutputSize, loss);
        }

        /// <summary>The support loss of W = g([embedding ; condition]): a forward pass only.</summary>
        public float Loss(ReadOnlySpan<float> embedding, ReadOnlySpan<float> condition)
        {
            Model.Predict(embedding, condition, inputs, samples, outputs);
            return Losses.Value(loss, outputs, targets, samples, Model.OutputSize);
        }

        /// <summary>The support loss at <paramref name="vector"/> and its gradient there.</summary>
        public float Gradient(ReadOnlySpan<float> vector, ReadOnlySpan<float> other, bool fitCondition, Span<float> gradient)
            => fitCondition
                ? Model.ComputeConditionGradient(other, vector, inputs, targets, samples, loss, gradient)
                : Model.ComputeEmbeddingGradient(vector, other, inputs, targets, samples, loss, gradient);
    }
}
