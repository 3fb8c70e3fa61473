using System;

namespace HyperDsl;

/// <summary>
/// A meta-batch: several tasks, each with the same number of samples. Task t's samples are the rows
/// <c>[t·samplesPerTask, (t + 1)·samplesPerTask)</c> of the inputs <c>[· × InputSize]</c> and targets
/// <c>[· × OutputSize]</c>; its condition vector, for a hypernetwork that takes one, is row t of
/// <see cref="Conditions"/>.
/// </summary>
/// <remarks>The batch only views the caller's memory; the model checks every size when it receives the batch.</remarks>
public readonly ref struct TaskBatch
{
    /// <summary>A batch of tasks identified by their ids in the hypernetwork's embedding table.</summary>
    /// <param name="taskIds">One id per task.</param>
    /// <param name="inputs">The samples of all tasks, task by task.</param>
    /// <param name="targets">The targets of all samples, task by task.</param>
    /// <param name="samplesPerTask">Samples per task, at least 1.</param>
    public TaskBatch(ReadOnlySpan<int> taskIds, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int samplesPerTask)
        : this(taskIds, inputs, targets, samplesPerTask, ReadOnlySpan<float>.Empty)
    {
    }

    /// <summary>A batch of tasks with a condition vector each. For a hypernetwork without an embedding table the task ids may be empty.</summary>
    /// <param name="taskIds">One id per task, or empty when the hypernetwork has no embedding table.</param>
    /// <param name="inputs">The samples of all tasks, task by task.</param>
    /// <param name="targets">The targets of all samples, task by task.</param>
    /// <param name="samplesPerTask">Samples per task, at least 1.</param>
    /// <param name="conditions">The condition vectors <c>[tasks × ConditionSize]</c>, row-major.</param>
    public TaskBatch(ReadOnlySpan<int> taskIds, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int samplesPerTask, ReadOnlySpan<float> conditions)
    {
        TaskIds = taskIds;
        Inputs = inputs;
        Targets = targets;
        SamplesPerTask = samplesPerTask;
        Conditions = conditions;
    }

    /// <summary>One id per task (empty when tasks are given by condition vectors only).</summary>
    public ReadOnlySpan<int> TaskIds { get; }

    /// <summary>The samples of all tasks, task by task, row-major.</summary>
    public ReadOnlySpan<float> Inputs { get; }

    /// <summary>The targets of all samples, task by task, row-major.</summary>
    public ReadOnlySpan<float> Targets { get; }

    /// <summary>Samples per task.</summary>
    public int SamplesPerTask { get; }

    /// <summary>The condition vectors, one row per task, or empty.</summary>
    public ReadOnlySpan<float> Conditions { get; }
}
