using System.Collections.Generic;
using System.Linq;
using HyperDsl.Kernels;

namespace HyperDsl.Generators.Model;

/// <summary>
/// The arithmetic of a hypernetwork: the decoder g (body, then a head to the target's parameters or to one chunk of
/// them), and where each part of θ lives — the latter from <see cref="ThetaLayout"/>, which the runtime compiles too.
/// </summary>
internal sealed class HyperLayout
{
    public const string HeadName = "Head";

    private HyperLayout(HyperNetworkSpec spec, TargetLayout target, TargetLayout decoder, TargetLayout? encoder, long setAttention, int chunkCount, ThetaLayout theta)
    {
        Spec = spec;
        Target = target;
        Encoder = encoder;
        SetAttentionLength = (int)setAttention;
        ChunkAttentionOffset = (int)theta.ChunkAttentionOffset;
        ChunkAttentionLength = (int)theta.ChunkAttentionLength;
        EncoderOffset = (int)theta.EncoderOffset;
        Decoder = decoder;
        ChunkCount = chunkCount;
        EmbeddingsLength = (int)theta.EmbeddingsLength;
        DecoderOffset = (int)theta.DecoderOffset;
        ChunkEmbeddingsOffset = (int)theta.ChunkEmbeddingsOffset;
        ChunkEmbeddingsLength = (int)theta.ChunkEmbeddingsLength;
        SharedOffset = (int)theta.SharedOffset;
        SharedLength = (int)theta.SharedLength;
        ParameterCount = (int)theta.ParameterCount;
    }

    public HyperNetworkSpec Spec { get; }

    /// <summary>The target network's layout: P = Target.ParameterCount parameters in W.</summary>
    public TargetLayout Target { get; }

    /// <summary>G: the parameters of W the decoder generates, those of the layers that are not shared.</summary>
    public int GeneratedParameterCount => Target.ParameterCount - SharedLength;

    /// <summary>Offset of the shared target layers' parameters in θ (after the chunk embeddings).</summary>
    public int SharedOffset { get; }

    /// <summary>Floats of the shared target layers' parameters (0 when none is shared).</summary>
    public int SharedLength { get; }

    /// <summary>The shared target layers with parameters, each with the offset of its weights in θ.</summary>
    public IEnumerable<(LayerSlice Layer, int Offset)> SharedLayers
    {
        get
        {
            int offset = SharedOffset;
            foreach (LayerSlice layer in Target.Layers)
            {
                if (layer.Spec.Shared && layer.Spec.HasParameters)
                {
                    yield return (layer, offset);
                    offset += layer.WeightsLength + layer.BiasLength;
                }
            }
        }
    }

    /// <summary>The task encoder E over support pairs, with offsets relative to its slice of θ; null when there is none.</summary>
    public TargetLayout? Encoder { get; }

    /// <summary>Offset of the task encoder's parameters in θ (after the shared target layers).</summary>
    public int EncoderOffset { get; }

    /// <summary>Floats of the task encoder's parameters, its attention blocks included (0 when there is none).</summary>
    public int EncoderLength => (Encoder?.ParameterCount ?? 0) + SetAttentionLength;

    /// <summary>Floats of the attention blocks across the support set.</summary>
    public int SetAttentionLength { get; }

    /// <summary>Offset of the attention blocks across chunk tokens in θ (after the encoder).</summary>
    public int ChunkAttentionOffset { get; }

    /// <summary>Floats of the attention blocks across chunk tokens.</summary>
    public int ChunkAttentionLength { get; }

    /// <summary>The attention blocks across chunk tokens, each with the offset of its parameters relative to their part of θ.</summary>
    public IEnumerable<(AttentionSpec Block, int Offset, int Length)> ChunkAttentionBlocks
    {
        get
        {
            int offset = 0;
            foreach (AttentionSpec block in Spec.ChunkAttention)
            {
                int length = (int)block.ParameterCount(Spec.ChunkTokenWidth);
                yield return (block, offset, length);
                offset += length;
            }
        }
    }

    /// <summary>The attention blocks across the support set, each with the offset of its parameters relative to the encoder's part of θ.</summary>
    public IEnumerable<(AttentionSpec Block, int Offset, int Length)> SetAttentionBlocks
    {
        get
        {
            int offset = Encoder?.ParameterCount ?? 0;
            foreach (AttentionSpec block in Spec.SetAttention)
            {
                int length = (int)block.ParameterCount(Spec.EncodingSize);
                yield return (block, offset, length);
                offset += length;
            }
        }
    }

    /// <summary>The decoder g as a target-style network over its own slice of θ.</summary>
    public TargetLayout Decoder { get; }

    public bool IsChunked => Spec.ChunkSize > 0;

    /// <summary>Head calls per task: ⌈P / ChunkSize⌉ when chunked, else 1.</summary>
    public int ChunkCount { get; }

    /// <summary>Width of g's input: z (embedding, condition, encoding) and, when chunked, the chunk embedding.</summary>
    public int DecoderInputSize => Decoder.InputSize;

    /// <summary>Outputs of the last chunk past the end of G, which are dropped (0 when not chunked).</summary>
    public int DroppedOutputs => IsChunked ? (ChunkCount * Spec.ChunkSize) - GeneratedParameterCount : 0;

    public int EmbeddingsLength { get; }

    public int DecoderOffset { get; }

    public int ChunkEmbeddingsOffset { get; }

    public int ChunkEmbeddingsLength { get; }

    public int ParameterCount { get; }

    /// <summary>g's layers: the body, then the head (identity activation).</summary>
    public static IReadOnlyList<LayerSpec> DecoderLayers(HyperNetworkSpec spec, int inputs, int headUnits)
    {
        var layers = spec.Body.ToList();
        int width = layers.Count == 0 ? inputs : layers[layers.Count - 1].Units;
        layers.Add(LayerSpec.Dense(HeadName, width, headUnits, ActivationKind.Identity));
        return layers;
    }

    /// <summary>The layout, or null with the quantity that does not fit in an <see cref="int"/>.</summary>
    public static HyperLayout? TryCreate(HyperNetworkSpec spec, out string? overflowingQuantity)
    {
        TargetLayout target = TargetLayout.TryCreate(spec.Target.Input, spec.Target.Layers.AsImmutableArray(), out overflowingQuantity)!;
        long shared = 0;
        foreach (LayerSlice layer in target.Layers)
        {
            if (layer.Spec.Shared)
            {
                shared += (long)layer.WeightsLength + layer.BiasLength;
            }
        }

        int parameters = target.ParameterCount - (int)shared;
        int chunkCount = ThetaLayout.ChunkCountOf(parameters, spec.ChunkSize);
        TargetLayout? encoder = null;
        if (spec.Encoder is not null)
        {
            encoder = TargetLayout.TryCreate(spec.Encoder.Input, spec.Encoder.Layers.AsImmutableArray(), out overflowingQuantity);
            if (encoder is null)
            {
                return null;
            }
        }

        long setAttention = 0;
        foreach (AttentionSpec block in spec.SetAttention)
        {
            setAttention += block.ParameterCount(spec.EncodingSize);
        }

        long chunkAttention = 0;
        foreach (AttentionSpec block in spec.ChunkAttention)
        {
            chunkAttention += block.ParameterCount(spec.ChunkTokenWidth);
        }

        long inputWidth = ThetaLayout.DecoderInputSizeOf(spec.EmbeddingSize, spec.ConditionSize, spec.EncodingSize, spec.ChunkEmbeddingSize);
        if (inputWidth > int.MaxValue)
        {
            overflowingQuantity = "decoder input size";
            return null;
        }

        int inputs = (int)inputWidth;
        TargetLayout? decoder = TargetLayout.TryCreate(inputs, DecoderLayers(spec, inputs, ThetaLayout.HeadUnitsOf(parameters, spec.ChunkSize)), out overflowingQuantity);
        if (decoder is null)
        {
            return null;
        }

        var theta = new ThetaLayout(spec.Tasks, spec.EmbeddingSize, chunkCount, spec.ChunkEmbeddingSize, decoder.ParameterCount, shared, (encoder?.ParameterCount ?? 0) + setAttention, chunkAttention);
        if (theta.ParameterCount > int.MaxValue)
        {
            overflowingQuantity = "ParameterCount";
            return null;
        }

        return new HyperLayout(spec, target, decoder, encoder, setAttention, chunkCount, theta);
    }
}
