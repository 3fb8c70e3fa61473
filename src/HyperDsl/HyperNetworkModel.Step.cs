using System;
using System.Numerics.Tensors;
using HyperDsl.Kernels;
using HyperDsl.Training;

namespace HyperDsl;

/// <summary>
/// A training step: the support sets' encodings (with a task encoder), g on every task's rows, the target's forward,
/// loss and backward per task, g's backward, and the embeddings' and the encoder's gradients — on the calling thread, or shared with a helper (see <c>.TwoThreads</c>).
/// </summary>
public abstract partial class HyperNetworkModel<TTarget>
{
    /// <inheritdoc/>
    public float ComputeGradients(TaskBatch batch, Loss loss)
    {
        int tasks = CheckBatch(names.ComputeGradients, batch, loss);
        if (encoding is not null)
        {
            EncodeSupportSets(batch.SupportInputs, batch.SupportTargets, batch.SupportSizes, tasks);
        }

        for (int t = 0; t < tasks; t++)
        {
            ReadOnlySpan<float> embedding = description.Tasks > 0 ? Embedding(batch.TaskIds[t]) : ReadOnlySpan<float>.Empty;
            ReadOnlySpan<float> condition = description.ConditionSize > 0
                ? batch.Conditions.Slice(t * description.ConditionSize, description.ConditionSize)
                : ReadOnlySpan<float>.Empty;
            WriteDecoderInputs(t, embedding, condition, TaskEncoding(t));
        }

        double total;
        if (worker is null)
        {
            ClearGradientsBesideHead(gradients, description.DecoderOffset);
            total = RunLane(primary, 0, tasks, batch.Inputs, batch.Targets, batch.SamplesPerTask, loss, 1f / tasks, DecoderGradients, ChunkAttentionGradients);
        }
        else
        {
            total = twoThreadStep!.Run(batch.Inputs, batch.Targets, batch.SamplesPerTask, loss, tasks);
        }

        AddSharedGradients(tasks);
        AddEmbeddingGradients(batch.TaskIds, tasks);
        if (encoding is not null)
        {
            AddEncoderGradients(batch.SupportSizes, tasks);
        }

        return (float)(total / tasks);
    }

    /// <summary>
    /// Clears a gradient vector except the head's part, which the decoder's backward writes rather than adds to: the
    /// head is most of θ, and clearing it would cost a pass over memory per step. <paramref name="decoderOffset"/> is
    /// where g's parameters start in the vector (θ's gradients, or a vector of g's alone).
    /// </summary>
    private void ClearGradientsBesideHead(Span<float> vector, int decoderOffset)
    {
        LayerDescription head = description.Head;
        vector[..(decoderOffset + head.WeightsOffset)].Clear();
        vector[(decoderOffset + head.BiasOffset + head.Units)..].Clear();
    }

    /// <summary>
    /// g's input gradients flow to what made the inputs: each row's [embedding] part to its task's row of the table,
    /// its [chunk embedding] part to that chunk's embedding. In task order, so the sums are the same on any thread count.
    /// </summary>
    private void AddEmbeddingGradients(ReadOnlySpan<int> taskIds, int tasks)
    {
        int embeddingSize = description.EmbeddingSize;
        for (int t = 0; t < tasks; t++)
        {
            for (int k = 0; k < description.ChunkCount; k++)
            {
                ReadOnlySpan<float> row = DecoderInputGradients(t, k);
                if (embeddingSize > 0)
                {
                    Span<float> embeddingGradient = gradients.AsSpan(taskIds[t] * embeddingSize, embeddingSize);
                    TensorPrimitives.Add(embeddingGradient, row[..embeddingSize], embeddingGradient);
                }

                if (description.IsChunked)
                {
                    Span<float> chunkGradient = gradients.AsSpan(description.ChunkEmbeddingsOffset + (k * description.ChunkEmbeddingSize), description.ChunkEmbeddingSize);
                    TensorPrimitives.Add(chunkGradient, row[description.TaskInputSize..], chunkGradient);
                }
            }
        }
    }

    /// <summary>
    /// A step's work on one thread for tasks [first, first + count): g on their rows, the target's forward, loss and
    /// backward for each, and g's backward, adding g's gradient to <paramref name="decoderGradients"/>.
    /// <paramref name="inputs"/> and <paramref name="targets"/> hold those tasks' samples only. Returns the sum of the
    /// tasks' mean losses.
    /// </summary>
    private double RunLane(Lane lane, int first, int count, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int samples, Loss loss, float gradientScale, Span<float> decoderGradients, Span<float> attentionGradients)
    {
        int inputSize = TTarget.InputSize;
        int outputSize = TTarget.OutputSize;
        int firstRow = first * description.ChunkCount;
        int rows = count * description.ChunkCount;
        DecodeRows(lane, first, count);
        generatedGradients.AsSpan(firstRow * description.HeadUnits, rows * description.HeadUnits).Clear();
        double total = 0;
        for (int t = 0; t < count; t++)
        {
            total += TargetStep(lane, first + t, inputs.Slice(t * samples * inputSize, samples * inputSize), targets.Slice(t * samples * outputSize, samples * outputSize), samples, loss, gradientScale);
        }

        DecoderBackward(lane, firstRow, rows, decoderGradients, attentionGradients);
        return total;
    }

    /// <summary>Runs g on the rows of tasks [first, first + count): one batched product per layer, the head included (and any attention across each task's chunk rows before the head).</summary>
    private void DecodeRows(Lane lane, int first, int count)
    {
        DecoderForward(lane, first * description.ChunkCount, count * description.ChunkCount);
        ScaleChunks(first, count);
        AssembleWeights(first, count);
    }

    /// <summary>
    /// For a chunked head, G = s ⊙ head output (+ 1 for a LayerNorm's γ): applies the hyperfan factors and offsets to
    /// the generated parameters of tasks [first, first + count).
    /// </summary>
    private void ScaleChunks(int first, int count)
    {
        if (description.IsChunked)
        {
            for (int t = first; t < first + count; t++)
            {
                Span<float> weights = GeneratedVector(t);
                if (parameterOffsets is null)
                {
                    TensorPrimitives.Multiply(weights, parameterScale, weights);
                }
                else
                {
                    TensorPrimitives.FusedMultiplyAdd(weights, parameterScale, parameterOffsets, weights);
                }
            }
        }
    }

    /// <summary>The target's forward, loss and backward for task slot <paramref name="task"/>; returns the task's mean loss.</summary>
    private float TargetStep(Lane lane, int task, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int samples, Loss loss, float gradientScale)
    {
        int outputSize = TTarget.OutputSize;
        ReadOnlySpan<float> weights = GeneratedParameters(task);
        Span<float> outputs = lane.TargetOutputs.AsSpan(0, samples * outputSize);
        Span<float> outputGradients = lane.TargetOutputGradients.AsSpan(0, samples * outputSize);
        TTarget.Forward(weights, inputs, outputs, samples, lane.TargetWorkspace);
        float value = Losses.Evaluate(loss, outputs, targets, samples, outputSize, outputGradients, gradientScale);
        Span<float> vectorGradients = GeneratedVectorGradients(task);
        if (assembledGradients is null)
        {
            TTarget.Backward(weights, inputs, outputGradients, samples, lane.TargetWorkspace, vectorGradients, Span<float>.Empty);
        }
        else
        {
            // ∂L/∂W of this task, whose generated runs are ∂L/∂G and whose shared runs AddSharedGradients sums.
            Span<float> weightGradients = assembledGradients.AsSpan(task * TTarget.ParameterCount, TTarget.ParameterCount);
            weightGradients.Clear();
            TTarget.Backward(weights, inputs, outputGradients, samples, lane.TargetWorkspace, weightGradients, Span<float>.Empty);
        }

        WeightGradientsToHead(task);
        return value;
    }

    /// <summary>
    /// Turns ∂L/∂W of task slot <paramref name="task"/> — in its assembled slot with shared layers or G in PyTorch's
    /// order, else in ∂L/∂G — into the head's output gradient: the generated runs (or elements, each from its place)
    /// copied to ∂L/∂G (the shared ones stay for <see cref="AddSharedGradients"/>), then, for a chunked head,
    /// multiplied by the hyperfan factors.
    /// </summary>
    private void WeightGradientsToHead(int task)
    {
        Span<float> vectorGradients = GeneratedVectorGradients(task);
        if (assembledGradients is not null)
        {
            ReadOnlySpan<float> weightGradients = assembledGradients.AsSpan(task * TTarget.ParameterCount, TTarget.ParameterCount);
            if (generatedPlaces is not null)
            {
                ReadOnlySpan<int> places = generatedPlaces;
                for (int j = 0; j < places.Length; j++)
                {
                    vectorGradients[j] = weightGradients[places[j]];
                }
            }
            else
            {
                foreach (ParameterSegment segment in description.Segments)
                {
                    if (!segment.Shared)
                    {
                        weightGradients.Slice(segment.TargetOffset, segment.Length).CopyTo(vectorGradients.Slice(segment.SourceOffset, segment.Length));
                    }
                }
            }
        }

        if (description.IsChunked)
        {
            // G = s ⊙ head output (+ offset), so the head's output gradient is s ⊙ ∂L/∂G.
            TensorPrimitives.Multiply(vectorGradients, parameterScale, vectorGradients);
        }
    }
}
