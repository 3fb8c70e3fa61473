using System;
using System.Collections.Generic;

namespace HyperDsl.Generators.Model;

/// <summary>
/// Where each layer's parameters sit in the flat parameter vector, and where the forward pass keeps what the backward
/// pass needs. This is the one place that does the arithmetic; every emitter reads it from here.
/// </summary>
/// <remarks>
/// Parameters: layer by layer in declaration order, each layer's weights (input-major, <c>W[i * out + o]</c>) then its
/// bias. Workspace: per layer, the pre-activations z when the activation's derivative needs them (Gelu, Silu,
/// Softplus), then the activations f(z) unless the layer is the last one and its derivative does not need them;
/// each region holds <c>batch × units</c> floats, so its offset is <c>batch ×</c> a per-sample offset.
/// </remarks>
internal sealed class TargetLayout
{
    /// <summary>Floats that one backward scratch buffer may hold; the tile of samples is sized to fit.</summary>
    public const int BackwardScratchFloats = 2048;

    /// <summary>The most samples one backward tile holds.</summary>
    public const int MaxBackwardTileRows = 64;

    /// <summary>Above this many floats, the backward scratch is rented from the array pool instead of the stack.</summary>
    public const int MaxStackScratchFloats = 8192;

    private TargetLayout(int inputSize, IReadOnlyList<LayerSlice> layers, int parameterCount, int workspacePerSample, int maxUnits)
    {
        InputSize = inputSize;
        Layers = layers;
        ParameterCount = parameterCount;
        WorkspacePerSample = workspacePerSample;
        MaxUnits = maxUnits;
        OutputSize = layers[layers.Count - 1].Units;
        BackwardTileRows = Math.Max(1, Math.Min(MaxBackwardTileRows, BackwardScratchFloats / maxUnits));
    }

    public int InputSize { get; }

    public int OutputSize { get; }

    public IReadOnlyList<LayerSlice> Layers { get; }

    /// <summary>Σ (inputs·units + units) over the layers.</summary>
    public int ParameterCount { get; }

    /// <summary>Floats of workspace per sample; <c>WorkspaceSize(batch) = batch × WorkspacePerSample</c>.</summary>
    public int WorkspacePerSample { get; }

    /// <summary>The widest layer, which sizes the backward scratch buffers.</summary>
    public int MaxUnits { get; }

    /// <summary>Samples per backward tile: the backward pass carries gradients for this many samples at a time.</summary>
    public int BackwardTileRows { get; }

    /// <summary>Floats of scratch that Backward needs for a full tile (two buffers).</summary>
    public long BackwardScratchFloatsPerTile => 2L * BackwardTileRows * MaxUnits;

    /// <summary>
    /// Floats of backward scratch per row when every row's gradients flow back at once, as in a decoder's Backward: two
    /// buffers as wide as the widest layer, which take turns.
    /// </summary>
    public int ScratchPerRow => 2 * MaxUnits;

    /// <summary>
    /// Computes the layout, or returns null with the name of the quantity that does not fit in an <see cref="int"/>.
    /// </summary>
    public static TargetLayout? TryCreate(int inputSize, IReadOnlyList<LayerSpec> layers, out string? overflowingQuantity)
    {
        overflowingQuantity = null;
        var slices = new List<LayerSlice>(layers.Count);
        long parameters = 0;
        long workspace = 0;
        int maxUnits = 1;
        for (int l = 0; l < layers.Count; l++)
        {
            LayerSpec layer = layers[l];
            bool isLast = l == layers.Count - 1;
            long weights = (long)layer.Inputs * layer.Units;
            long weightsOffset = parameters;
            long biasOffset = weightsOffset + weights;
            parameters = biasOffset + layer.Units;

            long preActivationSlot = -1;
            if (layer.Activation.DerivativeNeedsPreActivation())
            {
                preActivationSlot = workspace;
                workspace += layer.Units;
            }

            long activationSlot = -1;
            if (!isLast || !(layer.Activation.DerivativeNeedsPreActivation() || layer.Activation == ActivationKind.Identity))
            {
                activationSlot = workspace;
                workspace += layer.Units;
            }

            if (parameters > int.MaxValue)
            {
                overflowingQuantity = "ParameterCount";
                return null;
            }

            if (workspace > int.MaxValue)
            {
                overflowingQuantity = "workspace per sample";
                return null;
            }

            maxUnits = Math.Max(maxUnits, layer.Units);
            slices.Add(new LayerSlice(
                layer,
                l,
                isLast,
                (int)weightsOffset,
                (int)weights,
                (int)biasOffset,
                (int)preActivationSlot,
                (int)activationSlot));
        }

        return new TargetLayout(inputSize, slices, (int)parameters, (int)workspace, maxUnits);
    }
}

/// <summary>One layer's place in the parameter vector and in the workspace.</summary>
/// <param name="Spec">The layer as declared.</param>
/// <param name="Index">Its position, from 0.</param>
/// <param name="IsLast">Whether it produces the network's outputs.</param>
/// <param name="WeightsOffset">Offset of its weights <c>[Inputs × Units]</c>, input-major.</param>
/// <param name="WeightsLength">Inputs × Units.</param>
/// <param name="BiasOffset">Offset of its bias <c>[Units]</c>.</param>
/// <param name="PreActivationSlot">Per-sample workspace offset of z, or −1 when z is not kept.</param>
/// <param name="ActivationSlot">Per-sample workspace offset of f(z), or −1 when the layer writes the outputs only.</param>
internal sealed record LayerSlice(
    LayerSpec Spec,
    int Index,
    bool IsLast,
    int WeightsOffset,
    int WeightsLength,
    int BiasOffset,
    int PreActivationSlot,
    int ActivationSlot)
{
    public string Name => Spec.Name;

    public int Inputs => Spec.Inputs;

    public int Units => Spec.Units;

    public ActivationKind Activation => Spec.Activation;

    public int BiasLength => Spec.Units;

    public bool KeepsPreActivations => PreActivationSlot >= 0;

    public bool KeepsActivations => ActivationSlot >= 0;
}
