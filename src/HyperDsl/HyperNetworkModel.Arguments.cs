using System;
using HyperDsl.Kernels;

namespace HyperDsl;

/// <summary>The checks every public call makes before it changes anything, with messages that name the argument at fault.</summary>
public abstract partial class HyperNetworkModel<TTarget>
{
    private int CheckBatch(string method, TaskBatch batch, Loss loss)
    {
        int conditionSize = description.ConditionSize;
        int tasks;
        if (!batch.TaskIds.IsEmpty)
        {
            tasks = batch.TaskIds.Length;
        }
        else if (conditionSize > 0 && description.Tasks == 0)
        {
            tasks = batch.Conditions.Length / conditionSize;
        }
        else if (encoding is not null && description.Tasks == 0)
        {
            // z is the support set's encoding alone: the tasks are the support sets.
            tasks = batch.SupportSizes.Length;
            if (tasks == 0)
            {
                throw new ArgumentException($"{method}: the batch has no support sets; this hypernetwork encodes each task's support set (TaskBatch.WithSupport).", nameof(batch));
            }
        }
        else
        {
            throw new ArgumentException($"{method}: the batch has no task ids; this hypernetwork's tasks are rows of its embedding table.", nameof(batch));
        }

        if (tasks < 1 || tasks > maxTasks)
        {
            throw new ArgumentException($"{method}: the batch holds {tasks} tasks; this instance was built for 1 to {maxTasks}.", nameof(batch));
        }

        if (description.Tasks > 0)
        {
            for (int t = 0; t < tasks; t++)
            {
                int id = batch.TaskIds[t];
                if ((uint)id >= (uint)description.Tasks)
                {
                    throw new ArgumentException($"{method}: task id {id} (task {t} of the batch) is out of range; ids run from 0 to {description.Tasks - 1}.", nameof(batch));
                }
            }
        }

        if (conditionSize > 0)
        {
            if (batch.Conditions.Length != tasks * conditionSize)
            {
                throw new ArgumentException($"{method}: the batch's conditions hold {batch.Conditions.Length} floats; {tasks} tasks × ConditionSize {conditionSize} = {tasks * conditionSize} are needed.", nameof(batch));
            }

            FiniteCheck.Require(method, "batch.Conditions", batch.Conditions);
        }
        else if (!batch.Conditions.IsEmpty)
        {
            throw new ArgumentException($"{method}: the batch has condition vectors, but this hypernetwork takes none (ConditionSize is 0).", nameof(batch));
        }

        int samples = batch.SamplesPerTask;
        if (samples < 1 || samples > maxSamplesPerTask)
        {
            throw new ArgumentException($"{method}: the batch has {samples} samples per task; this instance was built for 1 to {maxSamplesPerTask}.", nameof(batch));
        }

        CheckSamples(method, batch.Inputs, batch.Targets, tasks * samples, tasks * samples, loss, "batch.Inputs", "batch.Targets");
        CheckBatchSupport(method, batch, tasks);
        return tasks;
    }

    private void CheckSamples(string method, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int samples, int maxSamples, Loss loss, string inputsName = "inputs", string targetsName = "targets")
    {
        if (!LossCheck.IsDefined(loss))
        {
            throw new ArgumentOutOfRangeException(nameof(loss), loss, $"{method}: {(int)loss} is not a member of HyperDsl.Loss.");
        }

        if (samples < 1 || samples > maxSamples)
        {
            throw new ArgumentOutOfRangeException(nameof(samples), samples, $"{method}: samples must be from 1 to {maxSamples}, the capacity this instance was built for.");
        }

        CheckRows(method, inputs, targets, samples, "samples", inputsName, targetsName, loss);
    }

    /// <summary>
    /// Inputs and targets of <paramref name="rows"/> samples or pairs: lengths that fit exactly, finite values (targets
    /// as <paramref name="loss"/> takes them, when they are scored; an encoder reads them, and then they are finite).
    /// </summary>
    private static void CheckRows(string method, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int rows, string noun, string inputsName, string targetsName, Loss? loss = null)
    {
        long inputLength = (long)rows * TTarget.InputSize;
        long targetLength = (long)rows * TTarget.OutputSize;
        if (inputs.Length != inputLength)
        {
            throw new ArgumentException($"{method}: {inputsName} holds {inputs.Length} floats; {rows} {noun} × InputSize {TTarget.InputSize} = {inputLength} are needed.", inputsName);
        }

        if (targets.Length != targetLength)
        {
            throw new ArgumentException($"{method}: {targetsName} holds {targets.Length} floats; {rows} {noun} × OutputSize {TTarget.OutputSize} = {targetLength} are needed.", targetsName);
        }

        FiniteCheck.Require(method, inputsName, inputs);
        if (loss is { } scored)
        {
            LossCheck.RequireTargets(method, targetsName, targets, TTarget.OutputSize, scored);
        }
        else
        {
            FiniteCheck.Require(method, targetsName, targets);
        }
    }

    private void CheckEmbedding(string method, ReadOnlySpan<float> embedding, ReadOnlySpan<float> condition)
    {
        if (embedding.Length != description.EmbeddingSize)
        {
            throw new ArgumentException($"{method}: the embedding must hold EmbeddingSize = {description.EmbeddingSize} floats, but holds {embedding.Length}.", nameof(embedding));
        }

        if (condition.Length != description.ConditionSize)
        {
            throw new ArgumentException($"{method}: the condition must hold ConditionSize = {description.ConditionSize} floats, but holds {condition.Length}.", nameof(condition));
        }

        FiniteCheck.Require(method, nameof(embedding), embedding);
        FiniteCheck.Require(method, nameof(condition), condition);
    }

    private static void CheckGradientLength(string method, string name, int length, string sizeName, int size)
    {
        if (length != size)
        {
            throw new ArgumentException($"{method}: {name} must hold {sizeName} = {size} floats, but holds {length}.", name);
        }
    }

    private static void CheckTargetParameters(string method, Span<float> targetParameters)
    {
        if (targetParameters.Length != TTarget.ParameterCount)
        {
            throw new ArgumentException($"{method}: targetParameters must hold the target's ParameterCount = {TTarget.ParameterCount} floats, but holds {targetParameters.Length}.", nameof(targetParameters));
        }
    }
}
