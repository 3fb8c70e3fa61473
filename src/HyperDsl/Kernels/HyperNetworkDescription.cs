using System;
using System.Collections.Generic;
using System.ComponentModel;

namespace HyperDsl.Kernels;

/// <summary>
/// A generated hypernetwork as the runtime sees it: what was declared (conditioning, chunking, the decoder g's and the
/// target's layers), handed over by the generated class to <see cref="HyperNetworkModel{TTarget}"/>, and where each
/// part of θ lives, derived from it by <see cref="ThetaLayout"/> — the arithmetic the generator itself uses. Support
/// for generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class HyperNetworkDescription
{
    /// <summary>Describes a hypernetwork from its declaration and its generated layers.</summary>
    /// <param name="name">The hypernetwork class's name, for messages.</param>
    /// <param name="tasks">Rows of the task-embedding table, or 0.</param>
    /// <param name="embeddingSize">Width of a task embedding, or 0.</param>
    /// <param name="conditionSize">Width of a condition vector, or 0.</param>
    /// <param name="chunkSize">Target parameters per head call, or 0 when not chunked.</param>
    /// <param name="chunkEmbeddingSize">Width of a chunk embedding, or 0.</param>
    /// <param name="decoderLayers">g's layers, the body then the head; offsets relative to g's parameters.</param>
    /// <param name="decoderWorkspacePerRow">Floats of g's workspace per row.</param>
    /// <param name="decoderScratchPerRow">Floats of g's backward scratch per row.</param>
    /// <param name="targetLayers">The target network's layers; offsets in its parameter vector W.</param>
    /// <exception cref="ArgumentException">The layers are empty or do not chain (a generated class always passes ones that do).</exception>
    public HyperNetworkDescription(
        string name,
        int tasks,
        int embeddingSize,
        int conditionSize,
        int chunkSize,
        int chunkEmbeddingSize,
        IReadOnlyList<LayerDescription> decoderLayers,
        int decoderWorkspacePerRow,
        int decoderScratchPerRow,
        IReadOnlyList<LayerDescription> targetLayers)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(decoderLayers);
        ArgumentNullException.ThrowIfNull(targetLayers);
        if (decoderLayers.Count == 0 || targetLayers.Count == 0)
        {
            throw new ArgumentException($"{name}: a hypernetwork needs a head and a target with layers.");
        }

        Name = name;
        Tasks = tasks;
        EmbeddingSize = embeddingSize;
        ConditionSize = conditionSize;
        ChunkSize = chunkSize;
        ChunkEmbeddingSize = chunkEmbeddingSize;
        DecoderLayers = decoderLayers;
        DecoderWorkspacePerRow = decoderWorkspacePerRow;
        DecoderScratchPerRow = decoderScratchPerRow;
        TargetLayers = targetLayers;

        LayerDescription lastTarget = targetLayers[targetLayers.Count - 1];
        TargetParameterCount = lastTarget.BiasOffset + lastTarget.Units;
        LayerDescription head = decoderLayers[decoderLayers.Count - 1];
        ChunkCount = ThetaLayout.ChunkCountOf(TargetParameterCount, chunkSize);
        DecoderInputSize = checked((int)ThetaLayout.DecoderInputSizeOf(embeddingSize, conditionSize, chunkEmbeddingSize));
        if (decoderLayers[0].Inputs != DecoderInputSize || head.Units != ThetaLayout.HeadUnitsOf(TargetParameterCount, chunkSize))
        {
            throw new ArgumentException($"{name}: the decoder's layers do not fit its conditioning and its target.");
        }

        var theta = new ThetaLayout(tasks, embeddingSize, ChunkCount, chunkEmbeddingSize, head.BiasOffset + (long)head.Units);
        DecoderOffset = checked((int)theta.DecoderOffset);
        DecoderParameterCount = checked((int)theta.DecoderParameterCount);
        ChunkEmbeddingsOffset = checked((int)theta.ChunkEmbeddingsOffset);
        ParameterCount = checked((int)theta.ParameterCount);
    }

    /// <summary>The hypernetwork class's name, for messages.</summary>
    public string Name { get; }

    /// <summary>Rows of the task-embedding table.</summary>
    public int Tasks { get; }

    /// <summary>Width of a task embedding.</summary>
    public int EmbeddingSize { get; }

    /// <summary>Width of a condition vector.</summary>
    public int ConditionSize { get; }

    /// <summary>Target parameters per head call, or 0 when not chunked.</summary>
    public int ChunkSize { get; }

    /// <summary>Width of a chunk embedding, or 0.</summary>
    public int ChunkEmbeddingSize { get; }

    /// <summary>Head calls per task (1 when not chunked).</summary>
    public int ChunkCount { get; }

    /// <summary>Floats in θ.</summary>
    public int ParameterCount { get; }

    /// <summary>Floats in the target network's W.</summary>
    public int TargetParameterCount { get; }

    /// <summary>Offset of the decoder g's parameters in θ (after the embedding table).</summary>
    public int DecoderOffset { get; }

    /// <summary>Floats of g's parameters.</summary>
    public int DecoderParameterCount { get; }

    /// <summary>Offset of the chunk embeddings in θ.</summary>
    public int ChunkEmbeddingsOffset { get; }

    /// <summary>Width of g's input: [embedding ; condition ; chunk embedding].</summary>
    public int DecoderInputSize { get; }

    /// <summary>Floats of g's workspace per row.</summary>
    public int DecoderWorkspacePerRow { get; }

    /// <summary>Floats of g's backward scratch per row.</summary>
    public int DecoderScratchPerRow { get; }

    /// <summary>g's layers: the body, then the head; offsets relative to g's parameters.</summary>
    public IReadOnlyList<LayerDescription> DecoderLayers { get; }

    /// <summary>The target network's layers; offsets in its parameter vector W.</summary>
    public IReadOnlyList<LayerDescription> TargetLayers { get; }

    /// <summary>The head: g's last layer, from its last hidden layer (or its input) to ChunkSize or P outputs.</summary>
    public LayerDescription Head => DecoderLayers[DecoderLayers.Count - 1];

    /// <summary>Where the head's parameters (weights, then bias) start in θ.</summary>
    public int HeadOffset => DecoderOffset + Head.WeightsOffset;

    /// <summary>Where the head's parameters end in θ: the decoder's backward writes ∂L/∂θ in [HeadOffset, HeadEnd) rather than adding to it.</summary>
    public int HeadEnd => DecoderOffset + Head.BiasOffset + Head.Units;

    /// <summary>Outputs of one head call: ChunkSize when chunked, else the target's parameter count.</summary>
    public int HeadUnits => Head.Units;

    /// <summary>Inputs of the head: the width of g's last hidden layer, or of g's input when it has none.</summary>
    public int HeadInputs => Head.Inputs;

    /// <summary>Width of z = [embedding ; condition].</summary>
    public int TaskInputSize => EmbeddingSize + ConditionSize;

    /// <summary>Whether the head emits W in chunks.</summary>
    public bool IsChunked => ChunkSize > 0;
}
