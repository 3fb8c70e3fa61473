using System.Collections.Generic;
using System.Linq;
using HyperDsl.Generators.Model;

namespace HyperDsl.Generators.Emitting;

/// <summary>The backward pass: a tile of samples at a time, each layer's gradients in the reverse order of the math.</summary>
internal static partial class TargetPassEmitter
{
    /// <summary>
    /// Backward: the gradients of a tile of samples at a time flow down the layers, in scratch on the stack, or rented from
    /// the array pool when a tile would not fit there.
    /// </summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="network">The network's name as messages show it.</param>
    /// <param name="layout">The network's layout.</param>
    public static void EmitBackward(CodeWriter writer, string network, TargetLayout layout)
    {
        int tile = layout.BackwardTileRows;
        int width = layout.MaxUnits;
        string scratchSize = ScratchSize(layout);
        writer.Line("/// <summary>Adds ∂L/∂W to parameterGradients and writes ∂L/∂x unless inputGradients is empty, a tile of samples at a time.</summary>");
        using (writer.Open("public static void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, ReadOnlySpan<float> outputGradients, int batch, ReadOnlySpan<float> workspace, Span<float> parameterGradients, Span<float> inputGradients)"))
        {
            writer.Line($"NetworkArguments.CheckBackward(\"{network}.Backward\", parameters, {layout.ParameterCount}, inputs, {layout.InputSize}, outputGradients, {layout.OutputSize}, batch, workspace, {layout.WorkspacePerSample}, parameterGradients, inputGradients);");
            writer.Line();
            writer.Line($"// The gradients of up to {tile} samples flow back together, in {(layout.GradientBuffers == 2 ? "two" : "three")} buffers of tile × {width} floats that take turns");
            writer.Line("// holding a layer's output gradients while the layer below receives its own.");
            if (layout.MaxColumns > 0)
            {
                writer.Line(layout.Layers.Any(layer => layer.Spec.ConvolvesDirectly)
                    ? $"// After them, tile × {layout.MaxColumns} floats for a convolution's window rows' gradients, or its output gradients filter by filter."
                    : $"// A convolution's window rows get their gradients in a buffer of tile × {layout.MaxColumns} floats after them.");
            }

            writer.Line($"int tile = Math.Min(batch, {tile});");
            if (KernelClassEmitter.RentsScratch(layout))
            {
                writer.Line($"float[] rented = ArrayPool<float>.Shared.Rent({scratchSize});");
                using (writer.Open("try"))
                {
                    writer.Line($"Span<float> scratch = rented.AsSpan(0, {scratchSize});");
                    EmitTileLoop(writer, layout);
                }

                using (writer.Open("finally"))
                {
                    writer.Line("ArrayPool<float>.Shared.Return(rented);");
                }
            }
            else
            {
                writer.Line($"Span<float> scratch = stackalloc float[{scratchSize}];");
                EmitTileLoop(writer, layout);
            }
        }
    }

    /// <summary>The scratch a tile needs, as an expression of <c>tile</c>.</summary>
    private static string ScratchSize(TargetLayout layout)
        => $"{layout.GradientBuffers} * tile * {layout.MaxUnits}" + (layout.MaxColumns > 0 ? $" + (tile * {layout.MaxColumns})" : string.Empty);

    private static void EmitTileLoop(CodeWriter writer, TargetLayout layout)
    {
        int width = layout.MaxUnits;
        var buffers = new List<string> { "bufferA", "bufferB" };
        writer.Line($"Span<float> bufferA = scratch.Slice(0, tile * {width});");
        writer.Line($"Span<float> bufferB = scratch.Slice(tile * {width}, tile * {width});");
        if (layout.HasResidual)
        {
            writer.Line($"Span<float> carried = scratch.Slice(2 * tile * {width}, tile * {width});");
        }

        if (layout.MaxColumns > 0)
        {
            writer.Line($"Span<float> windowGradients = scratch.Slice({layout.GradientBuffers} * tile * {width}, tile * {layout.MaxColumns});");
        }

        using (writer.Open("for (int start = 0; start < batch; start += tile)"))
        {
            writer.Line("int rows = Math.Min(tile, batch - start);");
            var layers = layout.Layers;
            var state = new BackwardState(buffers);
            LayerSlice last = layers[layers.Count - 1];
            string outputSlice = $"outputGradients.Slice({KernelText.Times("start", last.Units)}, {KernelText.Times("rows", last.Units)})";
            string gradients = outputSlice;
            bool writable = false;
            if (layout.Output.IsImage)
            {
                writer.Line();
                writer.Line("// The output gradients, NCHW, turned channels-last as the layers keep their images.");
                string turned = KernelText.Local(last) + "OutputGradients";
                writer.Line($"Span<float> {turned} = {state.Take()}.Slice(0, {KernelText.Times("rows", last.Units)});");
                writer.Line($"SpatialKernels.ChannelsLast({outputSlice}, {turned}, rows, {layout.Output.Channels}, {layout.Output.Height * layout.Output.Width});");
                gradients = turned;
                writable = true;
            }

            for (int l = layers.Count - 1; l >= 0; l--)
            {
                writer.Line();
                (gradients, writable) = EmitLayerBackward(writer, layout, layers[l], gradients, writable, state);
            }
        }
    }

    /// <summary>Which buffer is free for the next layer's gradients.</summary>
    private sealed class BackwardState(List<string> buffers)
    {
        private int next;

        public string Take()
        {
            string buffer = buffers[next];
            next = 1 - next;
            return buffer;
        }
    }

    /// <summary>
    /// One layer of one tile: from <paramref name="gradients"/>, ∂L/∂(its output) — in scratch when
    /// <paramref name="writable"/>, else the caller's read-only outputGradients — its parameter gradients and the
    /// gradients of its input. Returns the latter and whether they may be overwritten.
    /// </summary>
    private static (string Gradients, bool Writable) EmitLayerBackward(CodeWriter writer, TargetLayout layout, LayerSlice layer, string gradients, bool writable, BackwardState state)
    {
        int index = layer.Index;
        bool first = index == 0;
        string input = first
            ? layout.Input.IsImage ? PassEmitter.TileSlice(layout.InputSlot, layout.InputSize) : $"inputs.Slice({KernelText.Times("start", layer.Inputs)}, {KernelText.Times("rows", layer.Inputs)})"
            : PassEmitter.TileSlice(layout.Layers[index - 1].OutputSlot, layer.Inputs);

        // Where the input's gradient goes: the next buffer; for the first layer, the caller's inputGradients — straight
        // for a vector input, through a buffer for an image, which is turned back to NCHW.
        string below = first ? (layout.Input.IsImage ? "inputGradient" : $"inputGradients.Slice({KernelText.Times("start", layer.Inputs)}, {KernelText.Times("rows", layer.Inputs)})") : KernelText.Local(layout.Layers[index - 1]) + "Gradients";
        string belowBuffer = string.Empty;
        void DeclareBelow()
        {
            if (!first || layout.Input.IsImage)
            {
                belowBuffer = state.Take();
                writer.Line($"Span<float> {below} = {belowBuffer}.Slice(0, {KernelText.Times("rows", layer.Inputs)});");
            }
        }

        void FinishBelow()
        {
            if (first && layout.Input.IsImage)
            {
                writer.Line($"SpatialKernels.ChannelsFirst({below}, inputGradients.Slice({KernelText.Times("start", layer.Inputs)}, {KernelText.Times("rows", layer.Inputs)}), rows, {layout.Input.Channels}, {layout.Input.Height * layout.Input.Width});");
            }
        }

        switch (layer.Kind)
        {
            case LayerKindSpec.Dense or LayerKindSpec.Conv2D:
                return EmitProductBackward(writer, layout, layer, gradients, writable, input, below, first, state, DeclareBelow, FinishBelow);

            case LayerKindSpec.LayerNorm:
            {
                writer.Line($"// {layer.Name} ({KernelText.Shape(layer)}): γ and β gradients, and the normalisation's backward{(layer.Spec.Residual ? "; the output gradients also reach x directly" : string.Empty)}.");
                using (first ? writer.Open("if (!inputGradients.IsEmpty)") : default(CodeWriter.Block?))
                {
                    DeclareBelow();
                    writer.Line($"NormalizationKernels.LayerNormBackward({PassEmitter.TileSlice(layer.ActivationSlot, layer.Units)}, {PassEmitter.TileSlice(layer.StatisticsSlot, 1)}, parameters.Slice({layer.WeightsOffset}, {layer.Units}), {gradients}, parameterGradients.Slice({layer.WeightsOffset}, {layer.Units}), parameterGradients.Slice({layer.BiasOffset}, {layer.Units}), {below}, rows, {layer.Units});");
                    if (layer.Spec.Residual)
                    {
                        writer.Line($"ActivationKernels.AddResidual({gradients}, {below}, {below});");
                    }

                    FinishBelow();
                }

                if (first)
                {
                    // γ and β still need their gradients when the input's are not wanted.
                    using (writer.Open("else"))
                    {
                        writer.Line($"NormalizationKernels.LayerNormParameterGradients({PassEmitter.TileSlice(layer.ActivationSlot, layer.Units)}, {gradients}, parameterGradients.Slice({layer.WeightsOffset}, {layer.Units}), parameterGradients.Slice({layer.BiasOffset}, {layer.Units}), rows, {layer.Units});");
                    }
                }

                return (below, true);
            }

            default:
            {
                LayerSpec spec = layer.Spec;
                writer.Line($"// {layer.Name} ({KernelText.Shape(layer)}): {(layer.Kind == LayerKindSpec.MaxPool2D ? "each window's gradient to its first maximum" : "each output's gradient shared by the pixels it averaged")}.");
                using (first ? writer.Open("if (!inputGradients.IsEmpty)") : default(CodeWriter.Block?))
                {
                    DeclareBelow();
                    writer.Line(layer.Kind switch
                    {
                        LayerKindSpec.MaxPool2D => $"SpatialKernels.MaxPoolBackward({input}, {PassEmitter.TileSlice(layer.OutputSlot, layer.Units)}, {gradients}, {below}, rows, {GeometryName(layer)});",
                        LayerKindSpec.AvgPool2D => $"SpatialKernels.AvgPoolBackward({gradients}, {below}, rows, {GeometryName(layer)});",
                        _ => $"SpatialKernels.GlobalAvgPoolBackward({gradients}, {below}, rows, {spec.Input.Channels}, {spec.Input.Height * spec.Input.Width});",
                    });
                    FinishBelow();
                }

                return (below, true);
            }
        }
    }

    private static (string Gradients, bool Writable) EmitProductBackward(
        CodeWriter writer,
        TargetLayout layout,
        LayerSlice layer,
        string gradients,
        bool writable,
        string input,
        string below,
        bool first,
        BackwardState state,
        System.Action declareBelow,
        System.Action finishBelow)
    {
        bool convolution = layer.Kind == LayerKindSpec.Conv2D;
        LayerSlice product = layer.AsDense!;
        string rows = convolution ? KernelText.Times("rows", layer.Spec.OutputPixels) : "rows";
        string local = KernelText.Local(layer);
        string whatZ = writable
            ? layer.Activation == ActivationKind.Identity ? ": the gradients of its outputs are those of z" : $": gradients of z = gradients of its outputs × {layer.Activation}′"
            : layer.Activation == ActivationKind.Identity ? ": the output gradients are the gradients of z" : $": the output gradients times {layer.Activation}′ give the gradients of z";
        writer.Line($"// {layer.Name} ({KernelText.Shape(layer)}, {layer.Activation}){whatZ}{(layer.Residual ? "; they also reach x directly" : string.Empty)}.");
        if (!writable && layer.Activation == ActivationKind.Identity)
        {
            // The caller's gradients, named for the layer as the buffers are.
            writer.Line($"ReadOnlySpan<float> {local}Gradients = {gradients};");
            gradients = local + "Gradients";
        }

        if (layer.Residual)
        {
            writer.Line($"Span<float> {local}Carried = carried.Slice(0, {KernelText.Times("rows", layer.Units)});");
            writer.Line($"{gradients}.CopyTo({local}Carried);");
        }

        string z = gradients;
        if (layer.Activation != ActivationKind.Identity)
        {
            if (writable)
            {
                writer.Line($"ActivationKernels.{layer.Activation}Backward({PassEmitter.DerivativeSource(layer)}, {gradients}, {gradients});");
            }
            else
            {
                z = local + "Gradients";
                writer.Line($"Span<float> {z} = {state.Take()}.Slice(0, {KernelText.Times("rows", layer.Units)});");
                writer.Line($"ActivationKernels.{layer.Activation}Backward({PassEmitter.DerivativeSource(layer)}, {gradients}, {z});");
            }
        }

        if (layer.Spec.ConvolvesDirectly)
        {
            EmitDirectConvolutionBackward(writer, layer, z, input, below, first, declareBelow, finishBelow);
            return (below, true);
        }

        string rowsInput = convolution ? PassEmitter.TileSlice(layer.ColumnsSlot, layer.OutputPixelsTimesTaps()) : input;
        writer.Line($"{DenseWeightGradientKernelEmitter.MethodName(product)}({rowsInput}, {z}, parameterGradients, {rows});");
        using (first ? writer.Open("if (!inputGradients.IsEmpty)") : default(CodeWriter.Block?))
        {
            declareBelow();
            if (convolution)
            {
                string windows = $"windowGradients.Slice(0, {KernelText.Times("rows", layer.OutputPixelsTimesTaps())})";
                writer.Line($"{DenseInputGradientKernelEmitter.MethodName(product)}(parameters, {z}, {windows}, {rows});");
                writer.Line($"SpatialKernels.RowsToWindows({windows}, {below}, rows, {GeometryName(layer)});");
            }
            else
            {
                writer.Line($"{DenseInputGradientKernelEmitter.MethodName(product)}(parameters, {z}, {below}, rows);");
            }

            if (layer.Residual)
            {
                writer.Line($"ActivationKernels.AddResidual({local}Carried, {below}, {below});");
            }

            finishBelow();
        }

        return (below, true);
    }

    /// <summary>
    /// A convolution computed directly: its z gradients turned filter by filter (NCHW), their sums into the bias's
    /// gradients, then the weight gradients and, where wanted, the input's, each vectorised over output columns.
    /// </summary>
    private static void EmitDirectConvolutionBackward(CodeWriter writer, LayerSlice layer, string z, string input, string below, bool first, System.Action declareBelow, System.Action finishBelow)
    {
        LayerSpec spec = layer.Spec;
        string filterGradients = KernelText.Local(layer) + "FilterGradients";
        writer.Line($"Span<float> {filterGradients} = windowGradients.Slice(0, {KernelText.Times("rows", layer.Units)});");
        writer.Line($"SpatialKernels.ChannelsFirst({z}, {filterGradients}, rows, {spec.Output.Channels}, {spec.OutputPixels});");
        writer.Line($"SpatialKernels.AddChannelSums({filterGradients}, parameterGradients.Slice({layer.BiasOffset}, {spec.Output.Channels}), rows, {spec.Output.Channels}, {spec.OutputPixels});");
        writer.Line($"{DenseWeightGradientKernelEmitter.MethodName(layer)}({input}, {filterGradients}, parameterGradients, rows);");
        using (first ? writer.Open("if (!inputGradients.IsEmpty)") : default(CodeWriter.Block?))
        {
            declareBelow();
            writer.Line($"{DenseInputGradientKernelEmitter.MethodName(layer)}(parameters, {filterGradients}, {below}, rows);");
            if (layer.Residual)
            {
                writer.Line($"ActivationKernels.AddResidual({KernelText.Local(layer)}Carried, {below}, {below});");
            }

            finishBelow();
        }
    }
}
