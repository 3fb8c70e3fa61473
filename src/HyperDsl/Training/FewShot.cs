using System;
using System.Numerics.Tensors;

namespace HyperDsl.Training;

/// <summary>Settings of <see cref="FewShot.Adapt"/>.</summary>
public sealed class FewShotOptions
{
    /// <summary>Gradient steps on the embedding. Default 100.</summary>
    public int Steps { get; init; } = 100;

    /// <summary>Adam's learning rate for the embedding. Default 0.01.</summary>
    public float LearningRate { get; init; } = 0.01f;

    /// <summary>
    /// λ of an L2 pull towards the starting embedding, λ·‖e − e₀‖²/2 added to the support loss: with very few support
    /// points it keeps the embedding near the tasks the hypernetwork was trained on. Default 0.
    /// </summary>
    public float Regularization { get; init; }

    /// <summary>
    /// Rows of the task-embedding table to try as starting points besides the given embedding, spread evenly over the
    /// table: the one with the lowest support loss is where the gradient steps start. A few dozen avoid the local minima
    /// that a single start can fall into. Default 0 (only the given start).
    /// </summary>
    public int StartCandidates { get; init; }
}

/// <summary>
/// Few-shot adaptation: with θ frozen, fit a task embedding to a few support points of a task never seen in training,
/// by gradient steps through the generated code, then predict with W = g(embedding).
/// </summary>
public static class FewShot
{
    private static readonly FewShotOptions Defaults = new();

    /// <summary>Writes the mean of the learned task embeddings: a natural start for a new task, and the zero-shot guess.</summary>
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
    /// Fits <paramref name="embedding"/>, starting from its current value, to the support set with Adam; θ and the
    /// model's gradients are left unchanged. Allocates nothing for embeddings of up to 1024 floats.
    /// </summary>
    /// <param name="model">The trained hypernetwork.</param>
    /// <param name="supportInputs">The support samples, <c>[samples × InputSize]</c>.</param>
    /// <param name="supportTargets">Their targets, <c>[samples × OutputSize]</c>.</param>
    /// <param name="samples">The number of support samples, at most the model's MaxSamplesPerTask.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="embedding">The embedding: read as the start, written with the fit.</param>
    /// <param name="condition">The task's condition vector, when the hypernetwork takes one.</param>
    /// <param name="options">Steps, learning rate and regularisation; the defaults when null.</param>
    /// <returns>The support loss with the fitted embedding.</returns>
    public static float Adapt(
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
        if (options.Steps < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Steps, "options.Steps must be at least 0.");
        }

        int size = model.EmbeddingSize;
        if (size == 0)
        {
            throw new ArgumentException("The hypernetwork has no task embedding to adapt; its tasks are given by condition vectors.", nameof(model));
        }

        bool onStack = size <= 1024;
        Span<float> buffers = onStack ? stackalloc float[4 * size] : new float[4 * size];
        buffers.Clear();
        Span<float> gradient = buffers[..size];
        Span<float> firstMoment = buffers.Slice(size, size);
        Span<float> secondMoment = buffers.Slice(2 * size, size);
        Span<float> start = buffers.Slice(3 * size, size);
        if (options.StartCandidates > 0 && model.Tasks > 0)
        {
            ChooseStart(model, supportInputs, supportTargets, samples, loss, embedding, condition, options.StartCandidates);
        }

        embedding.CopyTo(start);
        for (int step = 1; step <= options.Steps; step++)
        {
            model.ComputeEmbeddingGradient(embedding, condition, supportInputs, supportTargets, samples, loss, gradient);
            if (options.Regularization > 0f)
            {
                // ∂/∂e of λ‖e − e₀‖²/2 is λ(e − e₀).
                for (int i = 0; i < size; i++)
                {
                    gradient[i] += options.Regularization * (embedding[i] - start[i]);
                }
            }

            Adam.Update(embedding, gradient, firstMoment, secondMoment, step, options.LearningRate);
        }

        return model.ComputeEmbeddingGradient(embedding, condition, supportInputs, supportTargets, samples, loss, gradient);
    }

    /// <summary>Replaces <paramref name="embedding"/> by the table row with the lowest support loss, if any is lower.</summary>
    private static void ChooseStart(IHyperModel model, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int samples, Loss loss, Span<float> embedding, ReadOnlySpan<float> condition, int candidates)
    {
        int outputCount = samples * model.OutputSize;
        Span<float> outputs = outputCount <= 4096 ? stackalloc float[outputCount] : new float[outputCount];
        model.Predict(embedding, condition, inputs, samples, outputs);
        float best = Losses.Value(loss, outputs, targets, samples, model.OutputSize);
        int bestTask = -1;
        int size = model.EmbeddingSize;
        int count = Math.Min(candidates, model.Tasks);
        for (int c = 0; c < count; c++)
        {
            int task = (int)((long)c * model.Tasks / count);
            model.Predict(model.TaskEmbeddings.Slice(task * size, size), condition, inputs, samples, outputs);
            float value = Losses.Value(loss, outputs, targets, samples, model.OutputSize);
            if (value < best)
            {
                best = value;
                bestTask = task;
            }
        }

        if (bestTask >= 0)
        {
            model.TaskEmbeddings.Slice(bestTask * size, size).CopyTo(embedding);
        }
    }
}
