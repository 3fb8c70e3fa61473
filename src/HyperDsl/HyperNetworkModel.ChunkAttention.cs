using System;
using System.Collections.Generic;
using HyperDsl.Kernels;

namespace HyperDsl;

/// <summary>
/// Attention across chunk tokens (HyperTransformer): g's body runs on every row, transformer blocks then mix the rows
/// of each task — one token per chunk of its W — and the head reads the result. The body's own outputs are kept, since
/// its backward needs them where the head's input now lies.
/// </summary>
public abstract partial class HyperNetworkModel<TTarget>
{
    // The blocks' buffers; null without attention across chunk tokens.
    private readonly ChunkAttentionBuffers? chunkAttention;

    /// <summary>g on rows [firstRow, firstRow + rows) of its input, into their head outputs, with the attention blocks between body and head.</summary>
    private void DecoderForward(Lane lane, int firstRow, int rows)
    {
        ReadOnlySpan<float> inputs = decoderInputs.AsSpan(firstRow * description.DecoderInputSize, rows * description.DecoderInputSize);
        Span<float> outputs = generated.AsSpan(firstRow * description.HeadUnits, rows * description.HeadUnits);
        Span<float> workspace = lane.DecoderWorkspace.AsSpan(0, rows * description.DecoderWorkspacePerRow);
        if (chunkAttention is null)
        {
            decoder.Forward(DecoderParameters, inputs, outputs, rows, workspace);
            return;
        }

        decoder.ForwardBody(DecoderParameters, inputs, rows, workspace);
        AttendAcrossChunks(workspace, rows);
        decoder.ForwardHead(DecoderParameters, inputs, rows, workspace, 0, description.HeadInputs, withBias: true, outputs);
    }

    /// <summary>
    /// g's backward on rows [firstRow, firstRow + rows) from their head outputs' gradients: g's gradient into
    /// <paramref name="decoderGradients"/> (the head's written, the rest added), the blocks' added to
    /// <paramref name="attentionGradients"/>, and the rows' input gradients written.
    /// </summary>
    private void DecoderBackward(Lane lane, int firstRow, int rows, Span<float> decoderGradients, Span<float> attentionGradients)
    {
        ReadOnlySpan<float> inputs = decoderInputs.AsSpan(firstRow * description.DecoderInputSize, rows * description.DecoderInputSize);
        ReadOnlySpan<float> outputGradients = generatedGradients.AsSpan(firstRow * description.HeadUnits, rows * description.HeadUnits);
        Span<float> workspace = lane.DecoderWorkspace.AsSpan(0, rows * description.DecoderWorkspacePerRow);
        Span<float> inputGradients = decoderInputGradients.AsSpan(firstRow * description.DecoderInputSize, rows * description.DecoderInputSize);
        Span<float> scratch = lane.DecoderScratch.AsSpan(0, rows * description.DecoderScratchPerRow);
        if (chunkAttention is null)
        {
            decoder.Backward(DecoderParameters, inputs, outputGradients, rows, workspace, decoderGradients, inputGradients, scratch);
            return;
        }

        Span<float> headInputGradients = chunkAttention.HeadInputGradients.AsSpan(0, rows * description.HeadInputs);
        decoder.BackwardHead(DecoderParameters, inputs, outputGradients, rows, workspace, decoderGradients, headInputGradients, 0, description.HeadInputs, withBias: true);
        AttendAcrossChunksBackward(workspace, headInputGradients, rows, attentionGradients);
        decoder.BackwardBody(DecoderParameters, inputs, rows, workspace, headInputGradients, decoderGradients, inputGradients, scratch);
    }

    /// <summary>The blocks' parameters in θ.</summary>
    private Span<float> ChunkAttentionParameters => parameters.AsSpan(description.ChunkAttentionOffset, description.ChunkAttentionParameterCount);

    /// <summary>The blocks' part of θ's gradient.</summary>
    private Span<float> ChunkAttentionGradients => gradients.AsSpan(description.ChunkAttentionOffset, description.ChunkAttentionParameterCount);

    /// <summary>The head's inputs of <paramref name="rows"/> rows in g's workspace: the body's last outputs, or the blocks' after them.</summary>
    private Span<float> HeadInputSlot(Span<float> workspace, int rows)
    {
        LayerDescription last = description.DecoderLayers[description.DecoderLayers.Count - 2];
        return workspace.Slice(rows * last.ActivationSlot, rows * last.Units);
    }

    /// <summary>
    /// Replaces the head's inputs in the workspace by the blocks' outputs, each block run over each task's chunk rows;
    /// keeps the body's outputs for the backward pass.
    /// </summary>
    private void AttendAcrossChunks(Span<float> workspace, int rows)
    {
        ChunkAttentionBuffers buffers = chunkAttention!;
        Span<float> slot = HeadInputSlot(workspace, rows);
        slot.CopyTo(buffers.BodyOutputs);
        IReadOnlyList<LayerDescription> blocks = description.ChunkAttention;
        int chunks = description.ChunkCount;
        int width = description.HeadInputs;
        int tasks = rows / chunks;
        ReadOnlySpan<float> parametersOfBlocks = ChunkAttentionParameters;
        for (int b = 0; b < blocks.Count; b++)
        {
            ReadOnlySpan<float> input = b == 0 ? buffers.BodyOutputs : buffers.BlockOutputs[b - 1];
            Span<float> output = b == blocks.Count - 1 ? slot : buffers.BlockOutputs[b];
            ReadOnlySpan<float> blockParameters = parametersOfBlocks.Slice(blocks[b].WeightsOffset, blocks[b].WeightsLength);
            for (int t = 0; t < tasks; t++)
            {
                AttentionKernels.Forward(blocks[b].Attention, blockParameters, input.Slice(t * chunks * width, chunks * width), output.Slice(t * chunks * width, chunks * width), chunks, buffers.Workspace(b, t));
            }
        }
    }

    /// <summary>
    /// From the head's input gradients, the blocks' backward (last first, task by task), leaving the body's output
    /// gradients in <paramref name="headInputGradients"/> and the body's outputs back in the workspace.
    /// </summary>
    private void AttendAcrossChunksBackward(Span<float> workspace, Span<float> headInputGradients, int rows, Span<float> attentionGradients)
    {
        ChunkAttentionBuffers buffers = chunkAttention!;
        IReadOnlyList<LayerDescription> blocks = description.ChunkAttention;
        int chunks = description.ChunkCount;
        int width = description.HeadInputs;
        int tasks = rows / chunks;
        ReadOnlySpan<float> parametersOfBlocks = ChunkAttentionParameters;
        for (int b = blocks.Count - 1; b >= 0; b--)
        {
            headInputGradients.CopyTo(buffers.OutputGradients);
            ReadOnlySpan<float> blockParameters = parametersOfBlocks.Slice(blocks[b].WeightsOffset, blocks[b].WeightsLength);
            Span<float> blockGradients = attentionGradients.Slice(blocks[b].WeightsOffset, blocks[b].WeightsLength);
            for (int t = 0; t < tasks; t++)
            {
                AttentionKernels.Backward(
                    blocks[b].Attention,
                    blockParameters,
                    buffers.OutputGradients.AsSpan(t * chunks * width, chunks * width),
                    chunks,
                    buffers.Workspace(b, t),
                    blockGradients,
                    headInputGradients.Slice(t * chunks * width, chunks * width),
                    buffers.Scratch);
            }
        }

        buffers.BodyOutputs.AsSpan(0, rows * width).CopyTo(HeadInputSlot(workspace, rows));
    }

    /// <summary>The blocks' buffers, sized for maxTasks tasks' chunk rows.</summary>
    private sealed class ChunkAttentionBuffers
    {
        private readonly float[][] workspaces;
        private readonly int workspacePerTask;

        public ChunkAttentionBuffers(HyperNetworkDescription description, int maxTasks)
        {
            int chunks = description.ChunkCount;
            int rows = Capacity("maxTasks", maxTasks, chunks);
            int values = Capacity("maxTasks", rows, description.HeadInputs);
            BodyOutputs = new float[values];
            OutputGradients = new float[values];
            HeadInputGradients = new float[values];
            int blocks = description.ChunkAttention.Count;
            BlockOutputs = new float[Math.Max(0, blocks - 1)][];
            for (int b = 0; b < BlockOutputs.Length; b++)
            {
                BlockOutputs[b] = new float[values];
            }

            int scratch = 0;
            foreach (LayerDescription block in description.ChunkAttention)
            {
                workspacePerTask = Math.Max(workspacePerTask, block.Attention.WorkspaceSize(chunks));
                scratch = Math.Max(scratch, block.Attention.ScratchSize(chunks));
            }

            Scratch = new float[scratch];
            workspaces = new float[blocks][];
            for (int b = 0; b < blocks; b++)
            {
                workspaces[b] = new float[Capacity("maxTasks", maxTasks, workspacePerTask)];
            }
        }

        /// <summary>The body's outputs of the current rows, before the blocks.</summary>
        public float[] BodyOutputs { get; }

        /// <summary>Each block's outputs but the last's, which goes straight to the head's inputs.</summary>
        public float[][] BlockOutputs { get; }

        /// <summary>A block's output gradient while its backward writes its input gradient.</summary>
        public float[] OutputGradients { get; }

        /// <summary>∂L/∂(the head's inputs), then, after the blocks' backward, ∂L/∂(the body's outputs).</summary>
        public float[] HeadInputGradients { get; }

        /// <summary>One task's backward scratch.</summary>
        public float[] Scratch { get; }

        /// <summary>Block <paramref name="block"/>'s workspace for task slot <paramref name="task"/>.</summary>
        public Span<float> Workspace(int block, int task) => workspaces[block].AsSpan(task * workspacePerTask, workspacePerTask);
    }
}
