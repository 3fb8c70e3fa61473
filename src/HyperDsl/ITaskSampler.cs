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
