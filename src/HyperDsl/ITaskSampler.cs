using System;

namespace HyperDsl;

/// <summary>Draws meta-batches of training tasks for <see cref="Training.Trainer"/>.</summary>
public interface ITaskSampler
{
    /// <summary>
    /// Fills one meta-batch: for each task slot t, its id (when the hypernetwork has an embedding table), its condition
    /// vector (when it takes one), and <paramref name="samplesPerTask"/> samples with their targets. Must draw its
    /// randomness from <paramref name="random"/> only, so that a seed fixes the training run.
    /// </summary>
    /// <param name="random">The trainer's seeded source of randomness.</param>
    /// <param name="taskIds">One id per task slot, or empty.</param>
    /// <param name="inputs">The samples, task by task, <c>[tasks × samplesPerTask × InputSize]</c>.</param>
    /// <param name="targets">The targets, <c>[tasks × samplesPerTask × OutputSize]</c>.</param>
    /// <param name="conditions">One condition row per task, or empty.</param>
    /// <param name="samplesPerTask">Samples per task.</param>
    void Sample(Random random, Span<int> taskIds, Span<float> inputs, Span<float> targets, Span<float> conditions, int samplesPerTask);
}

/// <summary>
/// Draws meta-batches of episodes for <see cref="Training.Trainer"/> training a hypernetwork with a task encoder: each
/// task has a support set, which the encoder reads, and a query set, on which the loss is taken.
/// </summary>
public interface IEpisodeSampler
{
    /// <summary>
    /// Fills one meta-batch: for each task slot t, its id (when the hypernetwork has an embedding table), its condition
    /// vector (when it takes one), its support set — <c>supportSizes[t]</c> pairs, from 1 to the model's
    /// MaxSupportPerTask, written after those of the tasks before it — and <paramref name="queryPerTask"/> query samples
    /// with their targets. Must draw its randomness from <paramref name="random"/> only.
    /// </summary>
    /// <param name="random">The trainer's seeded source of randomness.</param>
    /// <param name="taskIds">One id per task slot, or empty.</param>
    /// <param name="conditions">One condition row per task, or empty.</param>
    /// <param name="supportSizes">Receives each task's support size.</param>
    /// <param name="supportInputs">Room for tasks × MaxSupportPerTask support inputs; the pairs go one task after another from the start.</param>
    /// <param name="supportTargets">Room for the same pairs' targets.</param>
    /// <param name="queryInputs">The query samples, task by task, <c>[tasks × queryPerTask × InputSize]</c>.</param>
    /// <param name="queryTargets">Their targets, <c>[tasks × queryPerTask × OutputSize]</c>.</param>
    /// <param name="queryPerTask">Query samples per task.</param>
    void Sample(Random random, Span<int> taskIds, Span<float> conditions, Span<int> supportSizes, Span<float> supportInputs, Span<float> supportTargets, Span<float> queryInputs, Span<float> queryTargets, int queryPerTask);
}
