using System;
using System.Collections.Generic;
using System.Numerics.Tensors;
using HyperDsl.Kernels;

namespace HyperDsl;

/// <summary>
/// The task encoder: each support pair [x ; y] through E, then any attention blocks across each task's pairs, the mean
/// over the task's pairs as its encoding, placed in g's input after the condition; in the step's backward, the
/// encoding's gradient spread back over the pairs, through the blocks and through E.
/// </summary>
public abstract partial class HyperNetworkModel<TTarget>
{
    // The encoder's buffers; null without an encoder.
    private readonly SupportEncoding? encoding;

    /// <summary>The most support pairs per task this instance was built for (0 without a task encoder).</summary>
    public int MaxSupportPerTask => encoding?.MaxSupport ?? 0;

    /// <summary>Width of the task encoder's output, the encoding in g's input (0 without a task encoder).</summary>
    public int EncodingSize => description.EncodingSize;

    private Span<float> EncoderParameters => parameters.AsSpan(description.EncoderOffset, description.EncoderParameterCount);

    private Span<float> EncoderGradients => gradients.AsSpan(description.EncoderOffset, description.EncoderParameterCount);

    /// <summary>The encoding of task slot <paramref name="task"/> from the last <see cref="EncodeSupportSets"/>, or empty without an encoder.</summary>
    private ReadOnlySpan<float> TaskEncoding(int task)
        => encoding is null ? ReadOnlySpan<float>.Empty : encoding.Tasks.AsSpan(task * description.EncodingSize, description.EncodingSize);

    /// <summary>
    /// W for a task given by its support set: z = [embedding ; condition ; mean over the pairs of E([x ; y])]. With an
    /// embedding table, a task seen in training passes its row (<c>TaskEmbeddings</c>); an unseen task, which has no
    /// row, passes zeros — the mean of the table's N(0, 1) initialisation — or an embedding fitted to it.
    /// </summary>
    /// <param name="embedding">EmbeddingSize floats, or empty when there is no table.</param>
    /// <param name="condition">ConditionSize floats, or empty when the hypernetwork takes none.</param>
    /// <param name="supportInputs">The support pairs' inputs, <c>[supportSize × InputSize]</c>.</param>
    /// <param name="supportTargets">The support pairs' targets, <c>[supportSize × OutputSize]</c>.</param>
    /// <param name="supportSize">Pairs in the support set, from 1 to <see cref="MaxSupportPerTask"/>.</param>
    /// <param name="targetParameters">Receives W, exactly the target's ParameterCount floats.</param>
    /// <exception cref="InvalidOperationException">The hypernetwork has no task encoder.</exception>
    /// <exception cref="ArgumentException">A span has the wrong length or holds a value that is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="supportSize"/> is outside [1, MaxSupportPerTask].</exception>
    public void GenerateFromSupport(
        ReadOnlySpan<float> embedding,
        ReadOnlySpan<float> condition,
        ReadOnlySpan<float> supportInputs,
        ReadOnlySpan<float> supportTargets,
        int supportSize,
        Span<float> targetParameters)
    {
        string method = names.Generate;
        CheckEmbedding(method, embedding, condition);
        CheckSupportSet(method, supportInputs, supportTargets, supportSize);
        CheckTargetParameters(method, targetParameters);
        DecodeFromSupport(embedding, condition, supportInputs, supportTargets, supportSize);
        GeneratedParameters(0).CopyTo(targetParameters);
    }

    /// <summary>
    /// Predictions for a task given by its support set: W as <see cref="GenerateFromSupport"/> makes it, then the target
    /// network on <paramref name="samples"/> inputs. Allocates nothing.
    /// </summary>
    /// <param name="embedding">EmbeddingSize floats, or empty when there is no table.</param>
    /// <param name="condition">ConditionSize floats, or empty when the hypernetwork takes none.</param>
    /// <param name="supportInputs">The support pairs' inputs, <c>[supportSize × InputSize]</c>.</param>
    /// <param name="supportTargets">The support pairs' targets, <c>[supportSize × OutputSize]</c>.</param>
    /// <param name="supportSize">Pairs in the support set, from 1 to <see cref="MaxSupportPerTask"/>.</param>
    /// <param name="inputs">The samples to predict, <c>[samples × InputSize]</c>.</param>
    /// <param name="samples">The number of samples, at least 1 (any number: they run in blocks).</param>
    /// <param name="outputs">Receives the predictions, <c>[samples × OutputSize]</c>.</param>
    /// <exception cref="InvalidOperationException">The hypernetwork has no task encoder.</exception>
    /// <exception cref="ArgumentException">A span has the wrong length or holds a value that is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="supportSize"/> or <paramref name="samples"/> is out of range.</exception>
    public void PredictFromSupport(
        ReadOnlySpan<float> embedding,
        ReadOnlySpan<float> condition,
        ReadOnlySpan<float> supportInputs,
        ReadOnlySpan<float> supportTargets,
        int supportSize,
        ReadOnlySpan<float> inputs,
        int samples,
        Span<float> outputs)
    {
        string method = names.Predict;
        CheckEmbedding(method, embedding, condition);
        CheckSupportSet(method, supportInputs, supportTargets, supportSize);
        CheckPredictionSamples(method, inputs, samples, outputs);
        DecodeFromSupport(embedding, condition, supportInputs, supportTargets, supportSize);
        PredictWithSlotZero(inputs, samples, outputs);
    }

    /// <summary>As <see cref="GenerateFromSupport"/>, the task given by its row of the table (ignored without one).</summary>
    /// <param name="task">The task id, from 0 to Tasks − 1; ignored when the hypernetwork has no table.</param>
    /// <param name="condition">The condition vector, or empty when the hypernetwork takes none.</param>
    /// <param name="supportInputs">The support pairs' inputs.</param>
    /// <param name="supportTargets">The support pairs' targets.</param>
    /// <param name="supportSize">Pairs in the support set.</param>
    /// <param name="targetParameters">Receives W.</param>
    protected void GenerateCore(int task, ReadOnlySpan<float> condition, ReadOnlySpan<float> supportInputs, ReadOnlySpan<float> supportTargets, int supportSize, Span<float> targetParameters)
        => GenerateFromSupport(TableRow(names.Generate, task), condition, supportInputs, supportTargets, supportSize, targetParameters);

    /// <summary>As <see cref="PredictFromSupport"/>, the task given by its row of the table (ignored without one).</summary>
    /// <param name="task">The task id, from 0 to Tasks − 1; ignored when the hypernetwork has no table.</param>
    /// <param name="condition">The condition vector, or empty when the hypernetwork takes none.</param>
    /// <param name="supportInputs">The support pairs' inputs.</param>
    /// <param name="supportTargets">The support pairs' targets.</param>
    /// <param name="supportSize">Pairs in the support set.</param>
    /// <param name="inputs">The samples to predict.</param>
    /// <param name="samples">The number of samples.</param>
    /// <param name="outputs">Receives the predictions.</param>
    protected void PredictCore(int task, ReadOnlySpan<float> condition, ReadOnlySpan<float> supportInputs, ReadOnlySpan<float> supportTargets, int supportSize, ReadOnlySpan<float> inputs, int samples, Span<float> outputs)
        => PredictFromSupport(TableRow(names.Predict, task), condition, supportInputs, supportTargets, supportSize, inputs, samples, outputs);

    /// <summary>The row of the table for <paramref name="task"/>, or empty when there is no table.</summary>
    private ReadOnlySpan<float> TableRow(string method, int task)
    {
        if (description.Tasks == 0)
        {
            return ReadOnlySpan<float>.Empty;
        }

        if ((uint)task >= (uint)description.Tasks)
        {
            throw new ArgumentOutOfRangeException(nameof(task), task, $"{method}: task must be a task id from 0 to {description.Tasks - 1}.");
        }

        return Embedding(task);
    }

    /// <summary>Encodes one support set into slot 0 and runs g on that slot's rows.</summary>
    private void DecodeFromSupport(ReadOnlySpan<float> embedding, ReadOnlySpan<float> condition, ReadOnlySpan<float> supportInputs, ReadOnlySpan<float> supportTargets, int supportSize)
    {
        encoding!.SingleSize[0] = supportSize;
        EncodeSupportSets(supportInputs, supportTargets, encoding.SingleSize, 1);
        WriteDecoderInputs(0, embedding, condition, TaskEncoding(0));
        DecodeRows(primary, 0, 1);
    }

    /// <summary>
    /// E on every support pair of the first <paramref name="tasks"/> tasks in one batched call, then each task's
    /// encoding: the mean of its pairs' encodings, summed in pair order.
    /// </summary>
    private void EncodeSupportSets(ReadOnlySpan<float> supportInputs, ReadOnlySpan<float> supportTargets, ReadOnlySpan<int> sizes, int tasks)
    {
        SupportEncoding buffers = encoding!;
        int inputSize = TTarget.InputSize;
        int outputSize = TTarget.OutputSize;
        int pairWidth = inputSize + outputSize;
        int width = description.EncodingSize;
        int pairs = 0;
        for (int t = 0; t < tasks; t++)
        {
            pairs += sizes[t];
        }

        for (int r = 0; r < pairs; r++)
        {
            Span<float> row = buffers.Pairs.AsSpan(r * pairWidth, pairWidth);
            supportInputs.Slice(r * inputSize, inputSize).CopyTo(row);
            supportTargets.Slice(r * outputSize, outputSize).CopyTo(row[inputSize..]);
        }

        buffers.Encoder.Forward(
            EncoderParameters[..buffers.Encoder.ParameterCount],
            buffers.Pairs.AsSpan(0, pairs * pairWidth),
            buffers.PairEncodings.AsSpan(0, pairs * width),
            pairs,
            buffers.Workspace);

        // Each attention block across each task's own pairs: tokens of different tasks never meet.
        IReadOnlyList<LayerDescription> blocks = description.SetAttention;
        for (int b = 0; b < blocks.Count; b++)
        {
            AttentionShape shape = blocks[b].Attention;
            ReadOnlySpan<float> blockParameters = EncoderParameters.Slice(blocks[b].WeightsOffset, blocks[b].WeightsLength);
            int start = 0;
            for (int t = 0; t < tasks; t++)
            {
                AttentionKernels.Forward(
                    shape,
                    blockParameters,
                    buffers.BlockInput(b).AsSpan(start * width, sizes[t] * width),
                    buffers.BlockOutputs[b].AsSpan(start * width, sizes[t] * width),
                    sizes[t],
                    buffers.BlockWorkspace(b, t));
                start += sizes[t];
            }
        }

        float[] encodings = buffers.FinalEncodings;
        int first = 0;
        for (int t = 0; t < tasks; t++)
        {
            Span<float> z = buffers.Tasks.AsSpan(t * width, width);
            encodings.AsSpan(first * width, width).CopyTo(z);
            for (int r = first + 1; r < first + sizes[t]; r++)
            {
                TensorPrimitives.Add(z, encodings.AsSpan(r * width, width), z);
            }

            TensorPrimitives.Multiply(z, 1f / sizes[t], z);
            first += sizes[t];
        }
    }

    /// <summary>
    /// The encodings' share of a step's backward: each task's ∂L/∂z (its chunk rows' encoding columns, summed), divided
    /// by its support size for each of its pairs, then the attention blocks' backward task by task and E's over all
    /// pairs, adding to their gradients in θ.
    /// </summary>
    private void AddEncoderGradients(ReadOnlySpan<int> sizes, int tasks)
    {
        SupportEncoding buffers = encoding!;
        int width = description.EncodingSize;
        int column = description.EmbeddingSize + description.ConditionSize;
        int pairWidth = TTarget.InputSize + TTarget.OutputSize;
        int first = 0;
        for (int t = 0; t < tasks; t++)
        {
            Span<float> zGradient = buffers.TaskGradient;
            DecoderInputGradients(t, 0).Slice(column, width).CopyTo(zGradient);
            for (int k = 1; k < description.ChunkCount; k++)
            {
                TensorPrimitives.Add(zGradient, DecoderInputGradients(t, k).Slice(column, width), zGradient);
            }

            TensorPrimitives.Multiply(zGradient, 1f / sizes[t], zGradient);
            for (int r = first; r < first + sizes[t]; r++)
            {
                zGradient.CopyTo(buffers.PairGradients.AsSpan(r * width, width));
            }

            first += sizes[t];
        }

        // Back through the attention blocks, last first, task by task; the gradient ends in PairGradients.
        IReadOnlyList<LayerDescription> blocks = description.SetAttention;
        for (int b = blocks.Count - 1; b >= 0; b--)
        {
            AttentionShape shape = blocks[b].Attention;
            ReadOnlySpan<float> blockParameters = EncoderParameters.Slice(blocks[b].WeightsOffset, blocks[b].WeightsLength);
            Span<float> blockGradients = EncoderGradients.Slice(blocks[b].WeightsOffset, blocks[b].WeightsLength);
            buffers.PairGradients.AsSpan(0, first * width).CopyTo(buffers.BlockGradient);
            int start = 0;
            for (int t = 0; t < tasks; t++)
            {
                AttentionKernels.Backward(
                    shape,
                    blockParameters,
                    buffers.BlockGradient.AsSpan(start * width, sizes[t] * width),
                    sizes[t],
                    buffers.BlockWorkspace(b, t),
                    blockGradients,
                    buffers.PairGradients.AsSpan(start * width, sizes[t] * width),
                    buffers.BlockScratch);
                start += sizes[t];
            }
        }

        buffers.Encoder.Backward(
            EncoderParameters[..buffers.Encoder.ParameterCount],
            buffers.Pairs.AsSpan(0, first * pairWidth),
            buffers.PairGradients.AsSpan(0, first * width),
            first,
            buffers.Workspace,
            EncoderGradients[..buffers.Encoder.ParameterCount]);
    }

    /// <summary>The target network on any number of samples with W of task slot 0, in blocks its workspace was sized for.</summary>
    private void PredictWithSlotZero(ReadOnlySpan<float> inputs, int samples, Span<float> outputs)
    {
        int inputSize = TTarget.InputSize;
        int outputSize = TTarget.OutputSize;
        ReadOnlySpan<float> weights = GeneratedParameters(0);
        for (int start = 0; start < samples; start += maxSamplesPerTask)
        {
            int count = Math.Min(maxSamplesPerTask, samples - start);
            TTarget.Forward(weights, inputs.Slice(start * inputSize, count * inputSize), outputs.Slice(start * outputSize, count * outputSize), count, primary.TargetWorkspace);
        }
    }

    /// <summary>The support set of one task: 1 to MaxSupportPerTask pairs, lengths that fit, finite values.</summary>
    private void CheckSupportSet(string method, ReadOnlySpan<float> supportInputs, ReadOnlySpan<float> supportTargets, int supportSize)
    {
        RequireEncoder(method);
        if (supportSize < 1 || supportSize > encoding!.MaxSupport)
        {
            throw new ArgumentOutOfRangeException(nameof(supportSize), supportSize, $"{method}: supportSize must be from 1 to {encoding!.MaxSupport}, the maxSupportPerTask this instance was built for.");
        }

        CheckRows(method, supportInputs, supportTargets, supportSize, "pairs", nameof(supportInputs), nameof(supportTargets));
    }

    /// <summary>A meta-batch's support sets: one size per task, each from 1 to MaxSupportPerTask, and pairs that fill the spans exactly.</summary>
    private void CheckBatchSupport(string method, TaskBatch batch, int tasks)
    {
        if (encoding is null)
        {
            if (!batch.SupportSizes.IsEmpty || !batch.SupportInputs.IsEmpty || !batch.SupportTargets.IsEmpty)
            {
                throw new ArgumentException($"{method}: the batch has support sets, but this hypernetwork has no task encoder to read them.", nameof(batch));
            }

            return;
        }

        if (batch.SupportSizes.Length != tasks)
        {
            throw new ArgumentException(
                batch.SupportSizes.IsEmpty
                    ? $"{method}: the batch has no support sets; this hypernetwork encodes each task's support set (TaskBatch.WithSupport)."
                    : $"{method}: the batch gives {batch.SupportSizes.Length} support sizes for {tasks} tasks.",
                nameof(batch));
        }

        int pairs = 0;
        for (int t = 0; t < tasks; t++)
        {
            int size = batch.SupportSizes[t];
            if (size < 1 || size > encoding.MaxSupport)
            {
                throw new ArgumentException($"{method}: task {t} of the batch has {size} support pairs; this instance was built for 1 to {encoding.MaxSupport}.", nameof(batch));
            }

            pairs += size;
        }

        CheckRows(method, batch.SupportInputs, batch.SupportTargets, pairs, "pairs", "batch.SupportInputs", "batch.SupportTargets");
    }

    private void RequireEncoder(string method)
    {
        if (encoding is null)
        {
            throw new InvalidOperationException($"{method}: this hypernetwork has no task encoder; it takes no support set.");
        }
    }

    /// <summary>Calls that give z without a support set cannot serve a hypernetwork whose z includes the support set's encoding.</summary>
    private void RequireNoEncoder(string method)
    {
        if (encoding is not null)
        {
            throw new InvalidOperationException($"{method}: this hypernetwork encodes each task's support set into z; use the overloads that take one (GenerateFromSupport, PredictFromSupport, or a TaskBatch with WithSupport).");
        }
    }

    /// <summary>The encoder and its buffers, sized for maxTasks × maxSupportPerTask pairs.</summary>
    private sealed class SupportEncoding
    {
        public SupportEncoding(HyperNetworkDescription description, ISetEncoder encoder, int maxTasks, int maxSupport)
        {
            int pairWidth = TTarget.InputSize + TTarget.OutputSize;
            int blockParameters = 0;
            foreach (LayerDescription block in description.SetAttention)
            {
                blockParameters += block.ParameterCount;
            }

            if (encoder.InputSize != pairWidth || encoder.OutputSize != description.EncodingSize || encoder.ParameterCount + blockParameters != description.EncoderParameterCount)
            {
                throw new InvalidOperationException($"{description.Name}: the encoder ({encoder.InputSize} -> {encoder.OutputSize}, {encoder.ParameterCount} parameters and {blockParameters} in attention blocks) does not fit the description (pairs of {pairWidth}, encoding {description.EncodingSize}, {description.EncoderParameterCount} parameters).");
            }

            Encoder = encoder;
            MaxSupport = maxSupport;
            int pairs = Capacity("maxSupportPerTask", maxTasks, maxSupport);
            Pairs = new float[Capacity("maxSupportPerTask", pairs, pairWidth)];
            PairEncodings = new float[Capacity("maxSupportPerTask", pairs, description.EncodingSize)];
            PairGradients = new float[PairEncodings.Length];
            Workspace = new float[encoder.WorkspaceSize(pairs)];
            Tasks = new float[maxTasks * description.EncodingSize];
            TaskGradient = new float[description.EncodingSize];
            int blocks = description.SetAttention.Count;
            BlockOutputs = new float[blocks][];
            blockWorkspaces = new float[blocks][];
            for (int b = 0; b < blocks; b++)
            {
                AttentionShape shape = description.SetAttention[b].Attention;
                BlockOutputs[b] = new float[PairEncodings.Length];
                workspacePerTask = Math.Max(workspacePerTask, shape.WorkspaceSize(maxSupport));
                BlockScratch = BlockScratch.Length >= shape.ScratchSize(maxSupport) ? BlockScratch : new float[shape.ScratchSize(maxSupport)];
            }

            for (int b = 0; b < blocks; b++)
            {
                blockWorkspaces[b] = new float[Capacity("maxSupportPerTask", maxTasks, workspacePerTask)];
            }

            BlockGradient = blocks > 0 ? new float[PairEncodings.Length] : Array.Empty<float>();
        }

        // Per block, a workspace slice per task slot, each large enough for a full support set.
        private readonly float[][] blockWorkspaces;
        private readonly int workspacePerTask;

        public ISetEncoder Encoder { get; }

        public int MaxSupport { get; }

        /// <summary>The pairs [x ; y] of the current tasks, one after another.</summary>
        public float[] Pairs { get; }

        /// <summary>E of each pair.</summary>
        public float[] PairEncodings { get; }

        /// <summary>∂L/∂(E of each pair).</summary>
        public float[] PairGradients { get; }

        /// <summary>E's workspace for all pairs.</summary>
        public float[] Workspace { get; }

        /// <summary>Each task's encoding, the mean of its pairs'.</summary>
        public float[] Tasks { get; }

        /// <summary>One task's ∂L/∂z while it is spread over its pairs.</summary>
        public float[] TaskGradient { get; }

        /// <summary>Each attention block's outputs, pair by pair; empty without blocks.</summary>
        public float[][] BlockOutputs { get; }

        /// <summary>The backward pass's copy of a block's output gradient.</summary>
        public float[] BlockGradient { get; }

        /// <summary>The attention backward pass's scratch for one support set.</summary>
        public float[] BlockScratch { get; } = Array.Empty<float>();

        /// <summary>The encodings the mean is taken over: the last block's outputs, or E's own.</summary>
        public float[] FinalEncodings => BlockOutputs.Length > 0 ? BlockOutputs[^1] : PairEncodings;

        /// <summary>Block <paramref name="block"/>'s input: E's outputs for the first, the block before's outputs after.</summary>
        public float[] BlockInput(int block) => block == 0 ? PairEncodings : BlockOutputs[block - 1];

        /// <summary>Block <paramref name="block"/>'s workspace for task slot <paramref name="task"/>.</summary>
        public Span<float> BlockWorkspace(int block, int task) => blockWorkspaces[block].AsSpan(task * workspacePerTask, workspacePerTask);

        /// <summary>The size array of a single support set, so that a call with one needs no allocation.</summary>
        public int[] SingleSize { get; } = new int[1];
    }
}
