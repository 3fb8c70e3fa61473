using System;
using System.Collections.Generic;

namespace HyperDsl.Generators.Model;

/// <summary>
/// Where each layer's parameters sit in the flat parameter vector, and where the forward pass keeps what the backward
/// pass needs. This is the one place that does the arithmetic; every emitter reads it from here.
/// </summary>
/// <remarks>
/// <para>
/// Parameters: layer by layer in declaration order, each layer's weights then its bias: a Dense layer's weights
/// input-major (<c>W[i * units + o]</c>); a Conv2D layer's as the matrix <c>[kernel²·channels × filters]</c>, row
/// <c>(ky·kernel + kx)·channels + c</c>; a LayerNorm's γ then β; pools have none.
/// </para>
/// <para>
/// Workspace: regions of <c>batch × size</c> floats, each at <c>batch ×</c> a per-sample offset (its slot): an image
/// input's copy in NHWC (the layout every image takes inside a network, so that a pixel's channels are contiguous);
/// per Conv2D layer its windows as rows; per layer the pre-activations z when the activation's derivative needs them
/// (Gelu, Silu, Softplus), the activations f(z) when the derivative needs them or they are the output, a LayerNorm's
/// x̂ and 1/σ, and the output the next layer reads (a separate region when the layer adds its input). The last layer
/// writes the caller's outputs directly when they are a vector it need not keep.
/// </para>
/// </remarks>
internal sealed class TargetLayout
{
    /// <summary>Floats that one backward scratch buffer may hold; the tile of samples is sized to fit.</summary>
    public const int BackwardScratchFloats = 2048;

    /// <summary>The most samples one backward tile holds.</summary>
    public const int MaxBackwardTileRows = 64;

    /// <summary>Above this many floats, the backward scratch is rented from the array pool instead of the stack.</summary>
    public const int MaxStackScratchFloats = 8192;

    private TargetLayout(ShapeSpec input, IReadOnlyList<LayerSlice> layers, int parameterCount, int workspacePerSample, int inputSlot, int maxFeatures, int maxColumns, bool hasResidual)
    {
        Input = input;
        Layers = layers;
        ParameterCount = parameterCount;
        WorkspacePerSample = workspacePerSample;
        InputSlot = inputSlot;
        MaxUnits = maxFeatures;
        MaxColumns = maxColumns;
        HasResidual = hasResidual;
        Output = layers[layers.Count - 1].Spec.Output;
        BackwardTileRows = Math.Max(1, Math.Min(MaxBackwardTileRows, BackwardScratchFloats / maxFeatures));
    }

    /// <summary>One input sample's shape.</summary>
    public ShapeSpec Input { get; }

    /// <summary>One output sample's shape.</summary>
    public ShapeSpec Output { get; }

    public int InputSize => Input.Size;

    public int OutputSize => Output.Size;

    public IReadOnlyList<LayerSlice> Layers { get; }

    /// <summary>Σ of the layers' parameters.</summary>
    public int ParameterCount { get; }

    /// <summary>Floats of workspace per sample; <c>WorkspaceSize(batch) = batch × WorkspacePerSample</c>.</summary>
    public int WorkspacePerSample { get; }

    /// <summary>Per-sample offset of the NHWC copy of an image input, or −1 for a vector input.</summary>
    public int InputSlot { get; }

    /// <summary>
    /// The most floats per sample one backward buffer holds: the widest layer output, and an image input's gradient
    /// before it is turned back to NCHW.
    /// </summary>
    public int MaxUnits { get; }

    /// <summary>
    /// Per sample, the floats of backward scratch the convolutions need next to the gradient buffers, or 0: the largest
    /// window rows' gradients, or a direct convolution's output gradients turned filter by filter.
    /// </summary>
    public int MaxColumns { get; }

    /// <summary>Whether a layer adds its input to its output: the backward pass then carries the output gradient in a third buffer.</summary>
    public bool HasResidual { get; }

    /// <summary>Samples per backward tile: the backward pass carries gradients for this many samples at a time.</summary>
    public int BackwardTileRows { get; }

    /// <summary>Gradient buffers the backward pass takes turns with: two, and a third to carry a residual's gradient.</summary>
    public int GradientBuffers => HasResidual ? 3 : 2;

    /// <summary>Floats of scratch that Backward needs for a full tile: the gradient buffers and the window rows' gradients.</summary>
    public long BackwardScratchFloatsPerTile => (long)BackwardTileRows * ((GradientBuffers * (long)MaxUnits) + MaxColumns);

    /// <summary>
    /// Floats of backward scratch per row when every row's gradients flow back at once, as in a decoder's Backward: two
    /// buffers as wide as the widest layer, which take turns.
    /// </summary>
    public int ScratchPerRow => 2 * MaxUnits;

    /// <summary>A dense network over vectors (a hypernetwork's decoder).</summary>
    public static TargetLayout? TryCreate(int inputSize, IReadOnlyList<LayerSpec> layers, out string? overflowingQuantity)
        => TryCreate(ShapeSpec.Vector(inputSize), layers, out overflowingQuantity);

    /// <summary>
    /// Computes the layout, or returns null with the name of the quantity that does not fit in an <see cref="int"/>.
    /// </summary>
    public static TargetLayout? TryCreate(ShapeSpec input, IReadOnlyList<LayerSpec> layers, out string? overflowingQuantity)
    {
        overflowingQuantity = null;
        var slices = new List<LayerSlice>(layers.Count);
        long parameters = 0;
        long workspace = 0;
        int inputSlot = -1;
        if (input.IsImage)
        {
            inputSlot = 0;
            workspace = input.LongSize;
        }

        long maxFeatures = Math.Max(1, input.IsImage ? input.LongSize : 1);
        long maxColumns = 0;
        bool hasResidual = false;

        long Region(long size)
        {
            long slot = workspace;
            workspace += size;
            return slot;
        }

        for (int l = 0; l < layers.Count; l++)
        {
            LayerSpec layer = layers[l];
            bool isLast = l == layers.Count - 1;
            long units = layer.Output.LongSize;
            (int rows, int columns) = layer.WeightShape;
            long weights = (long)rows * columns;
            long weightsOffset = parameters;
            long biasOffset = weightsOffset + weights;
            parameters = biasOffset + layer.BiasLength;

            // The caller's outputs can take a vector output straight away; an image output is turned back to NCHW from
            // a region of its own.
            bool outputsDirect = isLast && !layer.Output.IsImage;
            long columnsSlot = -1, preActivationSlot = -1, activationSlot = -1, statisticsSlot = -1, outputSlot = -1;
            switch (layer.Kind)
            {
                case LayerKindSpec.Dense or LayerKindSpec.Conv2D:
                    if (layer.ConvolvesDirectly)
                    {
                        // No window rows; its output gradients are turned filter by filter in the columns' scratch.
                        maxColumns = Math.Max(maxColumns, units);
                    }
                    else if (layer.Kind == LayerKindSpec.Conv2D)
                    {
                        long windowRows = (long)layer.OutputPixels * layer.ConvolutionTaps;
                        columnsSlot = Region(windowRows);
                        maxColumns = Math.Max(maxColumns, windowRows);
                    }

                    if (layer.Activation.DerivativeNeedsPreActivation())
                    {
                        preActivationSlot = Region(units);
                    }

                    bool derivativeReadsActivations = layer.Activation is ActivationKind.Relu or ActivationKind.LeakyRelu or ActivationKind.Tanh or ActivationKind.Sigmoid or ActivationKind.Elu;
                    if (layer.Residual)
                    {
                        activationSlot = derivativeReadsActivations ? Region(units) : -1;
                        outputSlot = outputsDirect ? -1 : Region(units);
                    }
                    else if (outputsDirect)
                    {
                        activationSlot = derivativeReadsActivations ? Region(units) : -1;
                    }
                    else
                    {
                        activationSlot = Region(units);
                        outputSlot = activationSlot;
                    }

                    break;

                case LayerKindSpec.LayerNorm:
                    activationSlot = Region(units);
                    statisticsSlot = Region(1);
                    outputSlot = outputsDirect ? -1 : Region(units);
                    break;

                default:
                    outputSlot = outputsDirect ? -1 : Region(units);
                    break;
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

            maxFeatures = Math.Max(maxFeatures, units);
            hasResidual |= layer.Residual;
            slices.Add(new LayerSlice(
                layer,
                l,
                isLast,
                (int)weightsOffset,
                (int)weights,
                (int)biasOffset,
                (int)columnsSlot,
                (int)preActivationSlot,
                (int)activationSlot,
                (int)statisticsSlot,
                (int)outputSlot));
        }

        if (maxFeatures * 3 + maxColumns > int.MaxValue)
        {
            overflowingQuantity = "backward scratch per sample";
            return null;
        }

        return new TargetLayout(input, slices, (int)parameters, (int)workspace, inputSlot, (int)maxFeatures, (int)maxColumns, hasResidual);
    }
}

/// <summary>One layer's place in the parameter vector and in the workspace.</summary>
/// <param name="Spec">The layer as declared.</param>
/// <param name="Index">Its position, from 0.</param>
/// <param name="IsLast">Whether it produces the network's outputs.</param>
/// <param name="WeightsOffset">Offset of its weights (Dense <c>[Inputs × Units]</c>, Conv2D <c>[taps × filters]</c>, LayerNorm γ).</param>
/// <param name="WeightsLength">Floats of the weights.</param>
/// <param name="BiasOffset">Offset of its bias (LayerNorm β).</param>
/// <param name="ColumnsSlot">Per-sample workspace offset of a Conv2D layer's window rows, or −1 (other kinds, and convolutions computed directly).</param>
/// <param name="PreActivationSlot">Per-sample workspace offset of z, or −1 when z is not kept.</param>
/// <param name="ActivationSlot">Per-sample workspace offset of f(z) (LayerNorm: x̂), or −1 when not kept.</param>
/// <param name="StatisticsSlot">Per-sample workspace offset of a LayerNorm's 1/σ, or −1.</param>
/// <param name="OutputSlot">Per-sample workspace offset of the output the next layer reads, or −1 when the layer writes the caller's outputs.</param>
internal sealed record LayerSlice(
    LayerSpec Spec,
    int Index,
    bool IsLast,
    int WeightsOffset,
    int WeightsLength,
    int BiasOffset,
    int ColumnsSlot,
    int PreActivationSlot,
    int ActivationSlot,
    int StatisticsSlot,
    int OutputSlot)
{
    public string Name => Spec.Name;

    public LayerKindSpec Kind => Spec.Kind;

    public int Inputs => Spec.Inputs;

    public int Units => Spec.Units;

    public ActivationKind Activation => Spec.Activation;

    public bool Residual => Spec.Residual;

    public int BiasLength => Spec.BiasLength;

    public bool KeepsPreActivations => PreActivationSlot >= 0;

    public bool KeepsActivations => ActivationSlot >= 0;

    public bool KeepsOutput => OutputSlot >= 0;

    /// <summary>
    /// The layer as the dense kernels see it: a Dense layer itself; a Conv2D layer as the product of its window rows
    /// (taps inputs) with its weights (filters units); null for the other kinds.
    /// </summary>
    public LayerSlice? AsDense => Kind switch
    {
        LayerKindSpec.Dense => this,
        LayerKindSpec.Conv2D => this with { Spec = LayerSpec.Dense(Name, Spec.ConvolutionTaps, Spec.Output.Channels, Activation) },
        _ => null,
    };
}
