using System;
using System.Numerics.Tensors;
using HyperDsl.Kernels;

namespace HyperDsl;

/// <summary>After training: W for a task, predictions, and the gradient with respect to a task's embedding (θ fixed).</summary>
public abstract partial class HyperNetworkModel<TTarget>
{
    /// <inheritdoc/>
    public void GenerateFromEmbedding(ReadOnlySpan<float> embedding, ReadOnlySpan<float> condition, Span<float> targetParameters)
    {
        string method = names.GenerateFromEmbedding;
        RequireNoEncoder(method);
        CheckEmbedding(method, embedding, condition);
        CheckTargetParameters(method, targetParameters);
        WriteDecoderInputs(0, embedding, condition);
        DecodeRows(primary, 0, 1);
        GeneratedParameters(0).CopyTo(targetParameters);
    }

    /// <inheritdoc/>
    public float ComputeEmbeddingGradient(
        ReadOnlySpan<float> embedding,
        ReadOnlySpan<float> condition,
        ReadOnlySpan<float> inputs,
        ReadOnlySpan<float> targets,
        int samples,
        Loss loss,
        Span<float> embeddingGradient)
    {
        string method = names.ComputeEmbeddingGradient;
        CheckGradientLength(method, nameof(embeddingGradient), embeddingGradient.Length, "EmbeddingSize", description.EmbeddingSize);
        return ComputeTaskInputGradient(method, embedding, condition, inputs, targets, samples, loss, embeddingGradient, default);
    }

    /// <inheritdoc/>
    public float ComputeConditionGradient(
        ReadOnlySpan<float> embedding,
        ReadOnlySpan<float> condition,
        ReadOnlySpan<float> inputs,
        ReadOnlySpan<float> targets,
        int samples,
        Loss loss,
        Span<float> conditionGradient)
    {
        string method = names.ComputeConditionGradient;
        CheckGradientLength(method, nameof(conditionGradient), conditionGradient.Length, "ConditionSize", description.ConditionSize);
        return ComputeTaskInputGradient(method, embedding, condition, inputs, targets, samples, loss, default, conditionGradient);
    }

    /// <summary>
    /// The loss of one task's samples under W = g([embedding ; condition]) and its gradients with respect to the
    /// embedding and the condition (each written unless its span is empty), with θ held fixed: the training step's
    /// backward pass, its θ gradient sent to a private sink, summed over the task's chunk rows.
    /// </summary>
    private float ComputeTaskInputGradient(
        string method,
        ReadOnlySpan<float> embedding,
        ReadOnlySpan<float> condition,
        ReadOnlySpan<float> inputs,
        ReadOnlySpan<float> targets,
        int samples,
        Loss loss,
        Span<float> embeddingGradient,
        Span<float> conditionGradient)
    {
        RequireNoEncoder(method);
        CheckEmbedding(method, embedding, condition);
        CheckSamples(method, inputs, targets, samples, maxSamplesPerTask, loss);
        WriteDecoderInputs(0, embedding, condition);
        ClearGradientsBesideHead(frozenGradients, decoderOffset: 0);
        frozenAttentionGradients.AsSpan().Clear();
        float value = (float)RunLane(primary, 0, 1, inputs, targets, samples, loss, 1f, frozenGradients, frozenAttentionGradients);
        embeddingGradient.Clear();
        conditionGradient.Clear();
        for (int k = 0; k < description.ChunkCount; k++)
        {
            ReadOnlySpan<float> row = DecoderInputGradients(0, k);
            if (!embeddingGradient.IsEmpty)
            {
                TensorPrimitives.Add(embeddingGradient, row[..description.EmbeddingSize], embeddingGradient);
            }

            if (!conditionGradient.IsEmpty)
            {
                TensorPrimitives.Add(conditionGradient, row.Slice(description.EmbeddingSize, description.ConditionSize), conditionGradient);
            }
        }

        return value;
    }

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<float> embedding, ReadOnlySpan<float> condition, ReadOnlySpan<float> inputs, int samples, Span<float> outputs)
    {
        string method = names.Predict;
        RequireNoEncoder(method);
        CheckEmbedding(method, embedding, condition);
        CheckPredictionSamples(method, inputs, samples, outputs);
        WriteDecoderInputs(0, embedding, condition);
        DecodeRows(primary, 0, 1);
        PredictWithSlotZero(inputs, samples, outputs);
    }

    private static void CheckPredictionSamples(string method, ReadOnlySpan<float> inputs, int samples, Span<float> outputs)
    {
        if (samples < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(samples), samples, $"{method}: samples must be at least 1.");
        }

        NetworkArguments.CheckPerSampleLength(method, nameof(inputs), inputs.Length, samples, TTarget.InputSize, "InputSize");
        NetworkArguments.CheckPerSampleLength(method, nameof(outputs), outputs.Length, samples, TTarget.OutputSize, "OutputSize");
        FiniteCheck.Require(method, nameof(inputs), inputs[..(samples * TTarget.InputSize)]);
    }

    /// <summary>W for a task given by its row of the embedding table and, where the hypernetwork takes one, its condition.</summary>
    /// <param name="task">The task id, from 0 to Tasks − 1; ignored when the hypernetwork has no table.</param>
    /// <param name="condition">The condition vector, or empty when the hypernetwork takes none.</param>
    /// <param name="targetParameters">Receives W, exactly the target's ParameterCount floats.</param>
    protected void GenerateCore(int task, ReadOnlySpan<float> condition, Span<float> targetParameters)
    {
        string method = names.Generate;
        RequireNoEncoder(method);
        if (description.Tasks > 0 && (uint)task >= (uint)description.Tasks)
        {
            throw new ArgumentOutOfRangeException(nameof(task), task, $"{method}: task must be a task id from 0 to {description.Tasks - 1}.");
        }

        ReadOnlySpan<float> embedding = description.Tasks > 0 ? Embedding(task) : ReadOnlySpan<float>.Empty;
        CheckEmbedding(method, embedding, condition);
        CheckTargetParameters(method, targetParameters);
        WriteDecoderInputs(0, embedding, condition);
        DecodeRows(primary, 0, 1);
        GeneratedParameters(0).CopyTo(targetParameters);
    }
}
