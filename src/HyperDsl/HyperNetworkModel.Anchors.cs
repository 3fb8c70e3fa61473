using System;
using System.Numerics.Tensors;
using HyperDsl.Kernels;

namespace HyperDsl;

/// <summary>
/// A penalty on how far the W that g generates for some tasks has moved from stored anchors — the output regulariser of
/// continual learning (see <see cref="Training.OutputRegularizer"/>) — and its gradient, added to θ's.
/// </summary>
public abstract partial class HyperNetworkModel<TTarget>
{
    /// <inheritdoc/>
    public float AddAnchorPenaltyGradients(ReadOnlySpan<int> taskIds, ReadOnlySpan<float> conditions, ReadOnlySpan<float> anchors, float scale)
    {
        RequireNoEncoder(names.AddAnchorPenaltyGradients);
        int count = CheckAnchors(names.AddAnchorPenaltyGradients, taskIds, conditions, anchors, scale);
        int parameterCount = TTarget.ParameterCount;
        int conditionSize = description.ConditionSize;
        double penalty = 0;

        // As many tasks at a time as the step's buffers hold.
        for (int first = 0; first < count; first += maxTasks)
        {
            int group = Math.Min(maxTasks, count - first);
            ReadOnlySpan<int> ids = description.Tasks > 0 ? taskIds.Slice(first, group) : ReadOnlySpan<int>.Empty;
            for (int t = 0; t < group; t++)
            {
                WriteDecoderInputs(
                    t,
                    description.Tasks > 0 ? Embedding(ids[t]) : ReadOnlySpan<float>.Empty,
                    conditionSize > 0 ? conditions.Slice((first + t) * conditionSize, conditionSize) : ReadOnlySpan<float>.Empty);
            }

            DecodeRows(primary, 0, group);
            int rows = group * description.ChunkCount;
            generatedGradients.AsSpan(0, rows * description.HeadUnits).Clear();
            for (int t = 0; t < group; t++)
            {
                // ∂/∂W of scale·‖W − A‖² is 2·scale·(W − A), written where a task's ∂L/∂W goes in a step.
                Span<float> weightGradients = assembledGradients is null
                    ? GeneratedVectorGradients(t)
                    : assembledGradients.AsSpan(t * parameterCount, parameterCount);
                TensorPrimitives.Subtract(GeneratedParameters(t), anchors.Slice((first + t) * parameterCount, parameterCount), weightGradients);
                penalty += scale * (double)TensorPrimitives.SumOfSquares(weightGradients);
                TensorPrimitives.Multiply(weightGradients, 2f * scale, weightGradients);
                WeightGradientsToHead(t);
            }

            AddSharedGradients(group);

            // g's backward writes its head's gradient rather than adding to it, so it goes to a sink that is then added.
            ClearGradientsBesideHead(frozenGradients, decoderOffset: 0);
            DecoderBackward(primary, 0, rows, frozenGradients, ChunkAttentionGradients);
            Span<float> decoderGradients = DecoderGradients;
            TensorPrimitives.Add(decoderGradients, frozenGradients, decoderGradients);
            AddEmbeddingGradients(ids, group);
        }

        return (float)penalty;
    }

    /// <summary>Checks the anchors' arguments, before anything is written; returns the number of tasks.</summary>
    private int CheckAnchors(string method, ReadOnlySpan<int> taskIds, ReadOnlySpan<float> conditions, ReadOnlySpan<float> anchors, float scale)
    {
        if (!float.IsFinite(scale) || scale < 0f)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, $"{method}: scale must be finite and at least 0.");
        }

        int conditionSize = description.ConditionSize;
        int count;
        if (description.Tasks > 0)
        {
            count = taskIds.Length;
            for (int t = 0; t < count; t++)
            {
                if ((uint)taskIds[t] >= (uint)description.Tasks)
                {
                    throw new ArgumentOutOfRangeException(nameof(taskIds), taskIds[t], $"{method}: taskIds[{t}] = {taskIds[t]} is not a task id from 0 to {description.Tasks - 1}.");
                }
            }
        }
        else
        {
            if (!taskIds.IsEmpty)
            {
                throw new ArgumentException($"{method}: the hypernetwork has no task table, so taskIds must be empty ({taskIds.Length} given); conditions name the tasks.", nameof(taskIds));
            }

            count = conditions.Length / conditionSize;
        }

        if (count < 1)
        {
            throw new ArgumentException($"{method}: at least one task is needed; {(description.Tasks > 0 ? "taskIds" : "conditions")} is empty.", description.Tasks > 0 ? nameof(taskIds) : nameof(conditions));
        }

        if (conditions.Length != (long)count * conditionSize)
        {
            throw new ArgumentException($"{method}: conditions holds {conditions.Length} floats; {count} tasks × ConditionSize {conditionSize} = {(long)count * conditionSize} are needed.", nameof(conditions));
        }

        if (anchors.Length != (long)count * TTarget.ParameterCount)
        {
            throw new ArgumentException($"{method}: anchors holds {anchors.Length} floats; {count} tasks × TargetParameterCount {TTarget.ParameterCount} = {(long)count * TTarget.ParameterCount} are needed.", nameof(anchors));
        }

        FiniteCheck.Require(method, nameof(conditions), conditions);
        FiniteCheck.Require(method, nameof(anchors), anchors);
        return count;
    }
}
