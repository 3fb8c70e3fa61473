using System;

namespace HyperDsl;

/// <summary>
/// A meta-batch: several tasks, each with the same number of samples. Task t's samples are the rows
/// <c>[t·samplesPerTask, (t + 1)·samplesPerTask)</c> of the inputs <c>[· × InputSize]</c> and targets
/// <c>[· × OutputSize]</c>; its condition vector, for a hypernetwork that takes one, is row t of
/// <see cref="Conditions"/>.
/// </summary>
/// <remarks>
/// <para>The batch only views the caller's memory; the model checks every size when it receives the batch.</para>
/// <para>
/// For a hypernetwork with a task encoder, each task also carries a support set (<see cref="WithSupport"/>): the pairs
/// the encoder turns into the task's z. The samples above are then the query set, on which the loss is taken. Support
/// sets may differ in size from task to task; they are stored one after another.
/// </para>
/// </remarks>
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

    private TaskBatch(TaskBatch batch, ReadOnlySpan<float> supportInputs, ReadOnlySpan<float> supportTargets, ReadOnlySpan<int> supportSizes)
        : this(batch.TaskIds, batch.Inputs, batch.Targets, batch.SamplesPerTask, batch.Conditions)
    {
        SupportInputs = supportInputs;
        SupportTargets = supportTargets;
        SupportSizes = supportSizes;
    }

    /// <summary>One id per task (empty when tasks are given by condition vectors only).</summary>
    public ReadOnlySpan<int> TaskIds { get; }

    /// <summary>The samples of all tasks, task by task, row-major.</summary>
    public ReadOnlySpan<float> Inputs { get; }

    /// <summary>
    /// The targets of all samples, task by task, row-major: finite, except NaN for an output without a target under
    /// <see cref="Loss.MaskedSoftmaxCrossEntropy"/>.
    /// </summary>
    public ReadOnlySpan<float> Targets { get; }

    /// <summary>Samples per task.</summary>
    public int SamplesPerTask { get; }

    /// <summary>The condition vectors, one row per task, or empty.</summary>
    public ReadOnlySpan<float> Conditions { get; }

    /// <summary>The support pairs' inputs, task after task, <c>[Σ SupportSizes × InputSize]</c> row-major; empty without a support set.</summary>
    public ReadOnlySpan<float> SupportInputs { get; }

    /// <summary>The support pairs' targets, task after task, <c>[Σ SupportSizes × OutputSize]</c> row-major; empty without a support set.</summary>
    public ReadOnlySpan<float> SupportTargets { get; }

    /// <summary>Support pairs per task, one count per task; empty without a support set.</summary>
    public ReadOnlySpan<int> SupportSizes { get; }

    /// <summary>
    /// This batch with a support set per task, for a hypernetwork with a task encoder: task t's pairs are the
    /// <c>SupportSizes[t]</c> rows that follow those of the tasks before it, in <paramref name="supportInputs"/> and
    /// <paramref name="supportTargets"/>. The batch's samples become the query set.
    /// </summary>
    /// <param name="supportInputs">The support inputs of all tasks, task after task, row-major.</param>
    /// <param name="supportTargets">The support targets of all tasks, task after task, row-major.</param>
    /// <param name="supportSizes">Pairs per task, each from 1 to the model's maxSupportPerTask.</param>
    /// <returns>A batch that views the same memory and the support set.</returns>
    public TaskBatch WithSupport(ReadOnlySpan<float> supportInputs, ReadOnlySpan<float> supportTargets, ReadOnlySpan<int> supportSizes)
        => new(this, supportInputs, supportTargets, supportSizes);
}
