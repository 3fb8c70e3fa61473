using System.Collections.Generic;
using System.Linq;

namespace HyperDsl.Generators.Model;

/// <summary>
/// The arithmetic of a hypernetwork: the generator network g (body, then a head to the target's parameters or to
/// one chunk of them), and where each part of θ lives.
/// </summary>
/// <remarks>
/// θ = [task-embedding table (Tasks × EmbeddingSize), row-major] [g: each body layer, then the head, as a target
/// network lays out its layers] [chunk embeddings (ChunkCount × ChunkEmbeddingSize), when chunked]. g's input for a
/// task (and chunk k) is [embedding ; condition ; chunk embedding k].
/// </remarks>
internal sealed class HyperLayout
{
    public const string HeadName = "Head";

    private HyperLayout(HyperNetworkSpec spec, TargetLayout target, TargetLayout generator, int chunkCount)
    {
        Spec = spec;
        Target = target;
        Generator = generator;
        ChunkCount = chunkCount;
        EmbeddingsLength = spec.Tasks * spec.EmbeddingSize;
        GeneratorOffset = EmbeddingsLength;
        ChunkEmbeddingsOffset = GeneratorOffset + generator.ParameterCount;
        ChunkEmbeddingsLength = chunkCount * spec.ChunkEmbeddingSize;
        ParameterCount = ChunkEmbeddingsOffset + ChunkEmbeddingsLength;
    }

    public HyperNetworkSpec Spec { get; }

    /// <summary>The target network's layout: P = Target.ParameterCount parameters to generate.</summary>
    public TargetLayout Target { get; }

    /// <summary>The generator network g as a target-style network over its own slice of θ.</summary>
    public TargetLayout Generator { get; }

    public bool IsChunked => Spec.ChunkSize > 0;

    /// <summary>Head calls per task: ⌈P / ChunkSize⌉ when chunked, else 1.</summary>
    public int ChunkCount { get; }

    /// <summary>Width of z = [embedding ; condition].</summary>
    public int TaskInputSize => Spec.EmbeddingSize + Spec.ConditionSize;

    /// <summary>Width of g's input: z and, when chunked, the chunk embedding.</summary>
    public int GeneratorInputSize => TaskInputSize + Spec.ChunkEmbeddingSize;

    /// <summary>Outputs of one head call: ChunkSize when chunked, else P.</summary>
    public int HeadUnits => IsChunked ? Spec.ChunkSize : Target.ParameterCount;

    /// <summary>Outputs of the last chunk past the end of W, which are dropped (0 when not chunked).</summary>
    public int DroppedOutputs => IsChunked ? (ChunkCount * Spec.ChunkSize) - Target.ParameterCount : 0;

    public int EmbeddingsLength { get; }

    public int GeneratorOffset { get; }

    public int ChunkEmbeddingsOffset { get; }

    public int ChunkEmbeddingsLength { get; }

    public int ParameterCount { get; }

    /// <summary>g's layers: the body, then the head (identity activation).</summary>
    public static IReadOnlyList<LayerSpec> GeneratorLayers(HyperNetworkSpec spec, int inputs, int headUnits)
    {
        var layers = spec.Body.ToList();
        int width = layers.Count == 0 ? inputs : layers[layers.Count - 1].Units;
        layers.Add(new LayerSpec(HeadName, width, headUnits, ActivationKind.Identity));
        return layers;
    }

    /// <summary>The layout, or null with the quantity that does not fit in an <see cref="int"/>.</summary>
    public static HyperLayout? TryCreate(HyperNetworkSpec spec, out string? overflowingQuantity)
    {
        TargetLayout target = TargetLayout.TryCreate(spec.Target.InputSize, spec.Target.Layers.AsImmutableArray(), out overflowingQuantity)!;
        int parameters = target.ParameterCount;
        int chunkCount = spec.ChunkSize > 0 ? (int)(((long)parameters + spec.ChunkSize - 1) / spec.ChunkSize) : 1;
        long inputWidth = (long)spec.EmbeddingSize + spec.ConditionSize + spec.ChunkEmbeddingSize;
        if (inputWidth > int.MaxValue)
        {
            overflowingQuantity = "generator input size";
            return null;
        }

        int inputs = (int)inputWidth;
        TargetLayout? generator = TargetLayout.TryCreate(inputs, GeneratorLayers(spec, inputs, spec.ChunkSize > 0 ? spec.ChunkSize : parameters), out overflowingQuantity);
        if (generator is null)
        {
            return null;
        }

        long total = ((long)spec.Tasks * spec.EmbeddingSize) + generator.ParameterCount + ((long)chunkCount * spec.ChunkEmbeddingSize);
        if (total > int.MaxValue)
        {
            overflowingQuantity = "ParameterCount";
            return null;
        }

        return new HyperLayout(spec, target, generator, chunkCount);
    }
}
