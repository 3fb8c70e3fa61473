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
    /// <param name="encodingSize">Width of the task encoder's output z, or 0 when there is no encoder.</param>
    /// <param name="encoderLayers">The task encoder's layers, offsets in its own parameters; null or empty when there is none.</param>
    /// <param name="setAttention">Attention blocks across each support set, after the encoder; offsets continue the encoder's parameters. Null or empty when there are none.</param>
    /// <param name="chunkAttention">Attention blocks across each task's chunk tokens, between g's body and its head; offsets relative to their part of θ. Null or empty when there are none.</param>
    /// <param name="generatedOrder">The order in which the head emits the generated parameters.</param>
    /// <exception cref="ArgumentException">The layers are empty or do not chain (a generated class always passes ones that do).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="generatedOrder"/> is not a member of <see cref="ParameterOrder"/>.</exception>
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
        IReadOnlyList<LayerDescription> targetLayers,
        int encodingSize = 0,
        IReadOnlyList<LayerDescription>? encoderLayers = null,
        IReadOnlyList<LayerDescription>? setAttention = null,
        IReadOnlyList<LayerDescription>? chunkAttention = null,
        ParameterOrder generatedOrder = ParameterOrder.Native)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (generatedOrder is not (ParameterOrder.Native or ParameterOrder.PyTorch))
        {
            throw new ArgumentOutOfRangeException(nameof(generatedOrder), generatedOrder, $"{name}: {(int)generatedOrder} is not a member of ParameterOrder.");
        }

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
        GeneratedOrder = generatedOrder;
        DecoderLayers = decoderLayers;
        DecoderWorkspacePerRow = decoderWorkspacePerRow;
        DecoderScratchPerRow = decoderScratchPerRow;
        TargetLayers = targetLayers;
        EncodingSize = encodingSize;
        EncoderLayers = encoderLayers ?? Array.Empty<LayerDescription>();
        if ((encodingSize > 0) != (EncoderLayers.Count > 0))
        {
            throw new ArgumentException($"{name}: an encoder needs both its layers and its output width.");
        }

        long encoderParameters = 0;
        foreach (LayerDescription layer in EncoderLayers)
        {
            if (layer.ParameterCount > 0 && layer.WeightsOffset != encoderParameters)
            {
                throw new ArgumentException($"{name}: the encoder's layers do not follow one another in its parameters.");
            }

            encoderParameters += layer.ParameterCount;
        }

        SetAttention = setAttention ?? Array.Empty<LayerDescription>();
        foreach (LayerDescription block in SetAttention)
        {
            if (block.Kind != LayerKind.SetAttention || block.Inputs != encodingSize || block.Units != encodingSize || block.WeightsOffset != encoderParameters
                || block.Heads < 1 || block.FeedForward < 1 || encodingSize % block.Heads != 0)
            {
                throw new ArgumentException($"{name}: the attention blocks do not fit the encoder or do not follow it.");
            }

            encoderParameters += block.ParameterCount;
        }

        // Each layer's parameters (weights, then bias) follow the last one's in W; the last layer with parameters ends W
        // (a pool may come after it). A shared layer's go to θ's shared part, the others to the generated vector G.
        var segments = new List<ParameterSegment>();
        int generatedCount = 0;
        int sharedCount = 0;
        foreach (LayerDescription layer in targetLayers)
        {
            int length = layer.ParameterCount;
            if (length == 0)
            {
                continue;
            }

            if (layer.WeightsOffset != TargetParameterCount)
            {
                throw new ArgumentException($"{name}: the target's layers do not follow one another in W.");
            }

            int source = layer.Shared ? sharedCount : generatedCount;
            if (segments.Count > 0 && segments[^1].Shared == layer.Shared)
            {
                segments[^1] = segments[^1] with { Length = segments[^1].Length + length };
            }
            else
            {
                segments.Add(new ParameterSegment(layer.WeightsOffset, length, layer.Shared, source));
            }

            if (layer.Shared)
            {
                sharedCount += length;
            }
            else
            {
                generatedCount += length;
            }

            TargetParameterCount += length;
        }

        Segments = segments.ToArray();
        GeneratedParameterCount = generatedCount;
        SharedParameterCount = sharedCount;
        if (generatedCount == 0)
        {
            throw new ArgumentException($"{name}: every layer of the target is shared; there is nothing to generate.");
        }

        LayerDescription head = decoderLayers[decoderLayers.Count - 1];
        ChunkAttention = chunkAttention ?? Array.Empty<LayerDescription>();
        long chunkAttentionParameters = 0;
        foreach (LayerDescription block in ChunkAttention)
        {
            if (block.Kind != LayerKind.SelfAttention || chunkSize == 0 || decoderLayers.Count < 2 || block.Inputs != head.Inputs || block.Units != head.Inputs
                || block.WeightsOffset != chunkAttentionParameters || block.Heads < 1 || block.FeedForward < 1 || head.Inputs % block.Heads != 0)
            {
                throw new ArgumentException($"{name}: the attention blocks across chunk tokens do not fit the decoder or do not follow one another.");
            }

            chunkAttentionParameters += block.ParameterCount;
        }

        ChunkCount = ThetaLayout.ChunkCountOf(generatedCount, chunkSize);
        DecoderInputSize = checked((int)ThetaLayout.DecoderInputSizeOf(embeddingSize, conditionSize, encodingSize, chunkEmbeddingSize));
        if (decoderLayers[0].Inputs != DecoderInputSize || head.Units != ThetaLayout.HeadUnitsOf(generatedCount, chunkSize))
        {
            throw new ArgumentException($"{name}: the decoder's layers do not fit its conditioning and its target.");
        }

        var theta = new ThetaLayout(tasks, embeddingSize, ChunkCount, chunkEmbeddingSize, head.BiasOffset + (long)head.Units, sharedCount, encoderParameters, chunkAttentionParameters);
        DecoderOffset = checked((int)theta.DecoderOffset);
        DecoderParameterCount = checked((int)theta.DecoderParameterCount);
        ChunkEmbeddingsOffset = checked((int)theta.ChunkEmbeddingsOffset);
        SharedOffset = checked((int)theta.SharedOffset);
        EncoderOffset = checked((int)theta.EncoderOffset);
        EncoderParameterCount = checked((int)theta.EncoderLength);
        ChunkAttentionOffset = checked((int)theta.ChunkAttentionOffset);
        ChunkAttentionParameterCount = checked((int)theta.ChunkAttentionLength);
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

    /// <summary>Floats of W that the decoder generates: those of the layers that are not shared.</summary>
    public int GeneratedParameterCount { get; }

    /// <summary>Floats of W learned directly, in θ: those of the shared layers (0 when none is shared).</summary>
    public int SharedParameterCount { get; }

    /// <summary>Offset of the shared layers' parameters in θ (after the chunk embeddings).</summary>
    public int SharedOffset { get; }

    /// <summary>Whether some target layer is shared, so that W is assembled from the generated vector and θ.</summary>
    public bool HasSharedLayers => SharedParameterCount > 0;

    /// <summary>W in runs of consecutive generated or shared parameters, in order.</summary>
    internal ParameterSegment[] Segments { get; }

    /// <summary>Offset of the decoder g's parameters in θ (after the embedding table).</summary>
    public int DecoderOffset { get; }

    /// <summary>Floats of g's parameters.</summary>
    public int DecoderParameterCount { get; }

    /// <summary>Offset of the chunk embeddings in θ.</summary>
    public int ChunkEmbeddingsOffset { get; }

    /// <summary>Width of the task encoder's output z (0: no encoder).</summary>
    public int EncodingSize { get; }

    /// <summary>The task encoder's layers, offsets relative to its parameters; empty when there is no encoder.</summary>
    public IReadOnlyList<LayerDescription> EncoderLayers { get; }

    /// <summary>Attention blocks across each support set, between the encoder and the mean; offsets continue the encoder's parameters.</summary>
    public IReadOnlyList<LayerDescription> SetAttention { get; }

    /// <summary>Attention blocks across each task's chunk tokens, between g's body and its head; offsets relative to <see cref="ChunkAttentionOffset"/>.</summary>
    public IReadOnlyList<LayerDescription> ChunkAttention { get; }

    /// <summary>Offset of the attention blocks across chunk tokens in θ (after the encoder).</summary>
    public int ChunkAttentionOffset { get; }

    /// <summary>Floats of the attention blocks across chunk tokens (0: none).</summary>
    public int ChunkAttentionParameterCount { get; }

    /// <summary>Whether the hypernetwork encodes each task's support set into z.</summary>
    public bool HasEncoder => EncodingSize > 0;

    /// <summary>Offset of the task encoder's parameters in θ (after the shared target layers).</summary>
    public int EncoderOffset { get; }

    /// <summary>Floats of the task encoder's parameters, its attention blocks included (0: no encoder).</summary>
    public int EncoderParameterCount { get; }

    /// <summary>Width of g's input: [embedding ; condition ; encoding ; chunk embedding].</summary>
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

    /// <summary>Outputs of one head call: ChunkSize when chunked, else the number of generated parameters.</summary>
    public int HeadUnits => Head.Units;

    /// <summary>Inputs of the head: the width of g's last hidden layer, or of g's input when it has none.</summary>
    public int HeadInputs => Head.Inputs;

    /// <summary>Width of z = [embedding ; condition ; encoding].</summary>
    public int TaskInputSize => EmbeddingSize + ConditionSize + EncodingSize;

    /// <summary>Whether the head emits W in chunks.</summary>
    public bool IsChunked => ChunkSize > 0;

    /// <summary>The order in which the head emits the generated parameters.</summary>
    public ParameterOrder GeneratedOrder { get; }

    /// <summary>
    /// With <see cref="ParameterOrder.PyTorch"/>, where each element of G, in the head's order, goes in W: element j to
    /// W[places[j]]. Each layer keeps its place and its weights-then-bias split (so per-layer factors such as the
    /// hyperfan deviations hold in either order); only the order inside each tensor changes. Null in the native order.
    /// </summary>
    internal int[]? GeneratedPlaces()
    {
        if (GeneratedOrder == ParameterOrder.Native)
        {
            return null;
        }

        int[] places = new int[GeneratedParameterCount];
        int generated = 0;
        foreach (LayerDescription layer in TargetLayers)
        {
            if (layer.ParameterCount == 0 || layer.Shared)
            {
                continue;
            }

            int covered = 0;
            foreach (Checkpoints.TorchTensor tensor in Checkpoints.TorchTensors.Of(layer))
            {
                int start = generated + (tensor.Offset - layer.WeightsOffset);
                for (int k = 0; k < tensor.Length; k++)
                {
                    places[start + k] = tensor.Offset + (tensor.Place?.Invoke(k) ?? k);
                }

                covered += tensor.Length;
            }

            if (covered != layer.ParameterCount)
            {
                throw new ArgumentException($"{Name}: the {layer.Kind} layer {layer.Name} has no PyTorch order for its parameters.");
            }

            generated += layer.ParameterCount;
        }

        return places;
    }
}

/// <summary>
/// A run of W's parameters that are all generated or all shared: W[TargetOffset, TargetOffset + Length) comes from the
/// generated vector G, or from θ's shared part, at <see cref="SourceOffset"/>.
/// </summary>
/// <param name="TargetOffset">Where the run starts in W.</param>
/// <param name="Length">Its floats.</param>
/// <param name="Shared">Whether it is learned directly rather than generated.</param>
/// <param name="SourceOffset">Where it starts in G, or in θ's shared part.</param>
internal readonly record struct ParameterSegment(int TargetOffset, int Length, bool Shared, int SourceOffset);
