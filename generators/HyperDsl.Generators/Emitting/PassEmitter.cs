using HyperDsl.Generators.Model;

namespace HyperDsl.Generators.Emitting;

/// <summary>
/// Emits the bodies of Forward and Backward: the argument checks, then one statement group per layer that slices the
/// buffers and calls the layer's kernels and activation functions, in the order of the math.
/// </summary>
internal static class PassEmitter
{
    /// <param name="writer">Where to write.</param>
    /// <param name="network">The network's name as messages show it.</param>
    /// <param name="layout">The network's layout.</param>
    /// <param name="headRole">What the last layer's kernels cover: all inputs, or a range (a decoder's head).</param>
    public static void EmitForward(CodeWriter writer, string network, TargetLayout layout, DenseKernelRole headRole)
    {
        writer.Line("/// <summary>outputs = h(inputs; parameters), layer by layer; the workspace keeps what Backward needs.</summary>");
        using (writer.Open("public static void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, Span<float> outputs, int batch, Span<float> workspace)"))
        {
            writer.Line($"NetworkArguments.CheckForward(\"{network}.Forward\", parameters, {layout.ParameterCount}, inputs, {layout.InputSize}, outputs, {layout.OutputSize}, batch, workspace, {layout.WorkspacePerSample});");
            string previous = "inputs";
            foreach (LayerSlice layer in layout.Layers)
            {
                previous = EmitForwardLayer(writer, layer, previous, layer.IsLast ? headRole : DenseKernelRole.Layer);
            }
        }
    }

    /// <summary>One layer of Forward: slices its workspace, calls its kernel and activation; returns the name of its output.</summary>
    private static string EmitForwardLayer(CodeWriter writer, LayerSlice layer, string previous, DenseKernelRole role)
    {
        writer.Line();
        writer.Line($"// {layer.Name} ({KernelText.Shape(layer)}): y = {KernelText.Formula(layer)}.");
        string local = KernelText.Local(layer);
        string preActivations = local + "PreActivations";
        string activations = local + "Activations";
        if (layer.KeepsPreActivations)
        {
            writer.Line($"Span<float> {preActivations} = workspace.Slice({Region(layer.PreActivationSlot, "batch")}, {KernelText.Times("batch", layer.Units)});");
        }

        if (layer.KeepsActivations)
        {
            writer.Line($"Span<float> {activations} = workspace.Slice({Region(layer.ActivationSlot, "batch")}, {KernelText.Times("batch", layer.Units)});");
        }

        string result = layer.KeepsActivations ? activations : $"outputs.Slice(0, {KernelText.Times("batch", layer.Units)})";
        string kernel = DenseForwardKernelEmitter.MethodName(layer);
        switch (layer.Activation)
        {
            case ActivationKind.Identity or ActivationKind.Relu or ActivationKind.LeakyRelu:
                writer.Line($"{kernel}(parameters, {previous}, {(layer.KeepsActivations ? activations : "outputs")}, batch{EveryInput(layer, role, withBias: true)});");
                break;
            case ActivationKind.Tanh or ActivationKind.Sigmoid or ActivationKind.Elu:
                writer.Line($"{kernel}(parameters, {previous}, {activations}, batch);");
                writer.Line($"ActivationKernels.{layer.Activation}({activations}, {activations});");
                break;
            default:
                writer.Line($"{kernel}(parameters, {previous}, {preActivations}, batch);");
                writer.Line($"ActivationKernels.{layer.Activation}({preActivations}, {result});");
                break;
        }

        if (layer.IsLast && layer.KeepsActivations)
        {
            writer.Line($"{activations}.CopyTo(outputs);");
        }

        return activations;
    }

    /// <summary>
    /// A target network's Backward: the gradients of a tile of samples at a time flow down the layers, in scratch on the
    /// stack, or rented from the array pool when a tile of the widest layer would not fit there.
    /// </summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="network">The network's name as messages show it.</param>
    /// <param name="layout">The network's layout.</param>
    public static void EmitTargetBackward(CodeWriter writer, string network, TargetLayout layout)
    {
        int tile = layout.BackwardTileRows;
        int width = layout.MaxUnits;
        using (OpenBackward(writer, network, layout, "Adds ∂L/∂W to parameterGradients and writes ∂L/∂x unless inputGradients is empty, a tile of samples at a time.", scratchParameter: string.Empty))
        {
            writer.Line($"// The gradients of up to {tile} samples flow back together, in two buffers of tile × {width} floats that take turns");
            writer.Line("// holding a layer's output gradients while the layer below receives its own.");
            writer.Line($"int tile = Math.Min(batch, {tile});");
            if (KernelClassEmitter.RentsScratch(layout))
            {
                writer.Line($"float[] rented = ArrayPool<float>.Shared.Rent(2 * tile * {width});");
                using (writer.Open("try"))
                {
                    writer.Line($"Span<float> scratch = rented.AsSpan(0, 2 * tile * {width});");
                    EmitTileLoop(writer, layout, DenseKernelRole.Layer);
                }

                using (writer.Open("finally"))
                {
                    writer.Line("ArrayPool<float>.Shared.Return(rented);");
                }
            }
            else
            {
                writer.Line($"Span<float> scratch = stackalloc float[2 * tile * {width}];");
                EmitTileLoop(writer, layout, DenseKernelRole.Layer);
            }
        }
    }

    /// <summary>
    /// A decoder's Backward: the caller passes the scratch (its buffers are allocated once), so one tile holds every
    /// row, and the head's weight gradient is accumulated over all rows in one pass.
    /// </summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="network">The decoder's name as messages show it.</param>
    /// <param name="layout">The decoder's layout; its last layer is the head.</param>
    public static void EmitDecoderBackward(CodeWriter writer, string network, TargetLayout layout)
    {
        using (OpenBackward(writer, network, layout, "Adds the body's ∂L/∂W to parameterGradients and writes the head's (all rows at once), and ∂L/∂x unless inputGradients is empty.", scratchParameter: ", Span<float> scratch"))
        {
            writer.Line($"NetworkArguments.CheckPerSampleLength(\"{network}.Backward\", nameof(scratch), scratch.Length, batch, {layout.ScratchPerRow}, \"2 × the widest layer\");");
            writer.Line($"// The gradients of all rows flow back together, in two buffers of batch × {layout.MaxUnits} floats that take turns");
            writer.Line("// holding a layer's output gradients while the layer below receives its own.");
            writer.Line("int tile = batch;");
            EmitTileLoop(writer, layout, DenseKernelRole.DecoderHead);
        }
    }

    /// <summary>The signature of Backward, its summary and its argument checks; the caller writes the rest of the body.</summary>
    private static CodeWriter.Block OpenBackward(CodeWriter writer, string network, TargetLayout layout, string summary, string scratchParameter)
    {
        writer.Line($"/// <summary>{summary}</summary>");
        CodeWriter.Block body = writer.Open($"public static void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, ReadOnlySpan<float> outputGradients, int batch, ReadOnlySpan<float> workspace, Span<float> parameterGradients, Span<float> inputGradients{scratchParameter})");
        writer.Line($"NetworkArguments.CheckBackward(\"{network}.Backward\", parameters, {layout.ParameterCount}, inputs, {layout.InputSize}, outputGradients, {layout.OutputSize}, batch, workspace, {layout.WorkspacePerSample}, parameterGradients, inputGradients);");
        writer.Line();
        return body;
    }

    /// <summary>
    /// The passes a hypernetwork's decoder is split into for two threads (<c>IDecoderKernels</c>): the body's forward on
    /// all rows, the head's forward over a range of its inputs, the head's backward over a range of its inputs, and the
    /// body's backward. Each computes exactly what Forward or Backward computes for its part, in the same order; the
    /// caller says which part adds the head's bias and which its gradient, so that exactly one does wherever the
    /// ranges meet.
    /// </summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="network">The decoder's name as messages show it.</param>
    /// <param name="layout">The decoder's layout; its last layer is the head.</param>
    public static void EmitSplitPasses(CodeWriter writer, string network, TargetLayout layout)
    {
        var layers = layout.Layers;
        LayerSlice head = layers[layers.Count - 1];
        LayerSlice? body = layers.Count > 1 ? layers[layers.Count - 2] : null;
        string headInputs = body is null ? "inputs" : $"workspace.Slice({Region(body.ActivationSlot, "batch")}, {KernelText.Times("batch", body.Units)})";
        string check = $"parameters, {layout.ParameterCount}, inputs, {layout.InputSize}, batch, workspace, {layout.WorkspacePerSample}";

        writer.Line();
        writer.Line("/// <summary>The layers below the head on all rows: the workspace keeps the head's inputs and what BackwardBody needs.</summary>");
        using (writer.Open("public static void ForwardBody(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, int batch, Span<float> workspace)"))
        {
            writer.Line($"NetworkArguments.CheckDecoderPass(\"{network}.ForwardBody\", {check});");
            if (body is null)
            {
                writer.Line("// No layer below the head: it reads the inputs.");
            }

            string previous = "inputs";
            for (int l = 0; l < layers.Count - 1; l++)
            {
                previous = EmitForwardLayer(writer, layers[l], previous, DenseKernelRole.Layer);
            }
        }

        writer.Line();
        writer.Line("/// <summary>");
        writer.Line("/// After ForwardBody, the head's sum over its inputs [inputStart, inputEnd) for all rows, plus the bias when withBias:");
        writer.Line("/// the sums of two ranges that cover the inputs, one of them with the bias, added, are the head's outputs.");
        writer.Line("/// </summary>");
        using (writer.Open("public static void ForwardHead(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, int batch, ReadOnlySpan<float> workspace, int inputStart, int inputEnd, bool withBias, Span<float> outputs)"))
        {
            string method = $"\"{network}.ForwardHead\"";
            writer.Line($"NetworkArguments.CheckDecoderPass({method}, {check});");
            writer.Line($"NetworkArguments.CheckRange({method}, \"head inputs\", inputStart, inputEnd, {head.Inputs});");
            writer.Line($"NetworkArguments.CheckPerSampleLength({method}, nameof(outputs), outputs.Length, batch, {head.Units}, \"the head's units\");");
            writer.Line($"{DenseForwardKernelEmitter.MethodName(head)}(parameters, {headInputs}, outputs, batch, inputStart, inputEnd, withBias);");
        }

        writer.Line();
        writer.Line("/// <summary>");
        writer.Line("/// The head's backward for its inputs [inputStart, inputEnd), over all rows: writes those rows of its weight gradient and,");
        writer.Line("/// when withBias, its bias gradient, and those columns of the head's input gradients.");
        writer.Line("/// </summary>");
        using (writer.Open("public static void BackwardHead(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, ReadOnlySpan<float> outputGradients, int batch, ReadOnlySpan<float> workspace, Span<float> parameterGradients, Span<float> headInputGradients, int inputStart, int inputEnd, bool withBias)"))
        {
            string method = $"\"{network}.BackwardHead\"";
            writer.Line($"NetworkArguments.CheckDecoderPass({method}, {check});");
            writer.Line($"NetworkArguments.CheckRange({method}, \"head inputs\", inputStart, inputEnd, {head.Inputs});");
            writer.Line($"NetworkArguments.CheckPerSampleLength({method}, nameof(outputGradients), outputGradients.Length, batch, {head.Units}, \"the head's units\");");
            writer.Line($"NetworkArguments.CheckPerSampleLength({method}, nameof(headInputGradients), headInputGradients.Length, batch, {head.Inputs}, \"the head's inputs\");");
            writer.Line($"NetworkArguments.CheckExactLength({method}, nameof(parameterGradients), parameterGradients.Length, {layout.ParameterCount}, \"ParameterCount\");");
            writer.Line($"ReadOnlySpan<float> headInputs = {headInputs};");
            writer.Line($"{DenseWeightGradientKernelEmitter.MethodName(head)}(headInputs, outputGradients, parameterGradients, batch, inputStart, inputEnd, withBias);");
            writer.Line($"{DenseInputGradientKernelEmitter.MethodName(head)}(parameters, outputGradients, headInputGradients, batch, inputStart, inputEnd);");
        }

        writer.Line();
        writer.Line("/// <summary>");
        writer.Line("/// The layers below the head, from the head's input gradients of all rows (which it overwrites): adds to");
        writer.Line("/// parameterGradients and writes inputGradients unless it is empty.");
        writer.Line("/// </summary>");
        using (writer.Open("public static void BackwardBody(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, int batch, ReadOnlySpan<float> workspace, Span<float> headInputGradients, Span<float> parameterGradients, Span<float> inputGradients, Span<float> scratch)"))
        {
            string method = $"\"{network}.BackwardBody\"";
            writer.Line($"NetworkArguments.CheckDecoderPass({method}, {check});");
            writer.Line($"NetworkArguments.CheckPerSampleLength({method}, nameof(headInputGradients), headInputGradients.Length, batch, {head.Inputs}, \"the head's inputs\");");
            writer.Line($"NetworkArguments.CheckExactLength({method}, nameof(parameterGradients), parameterGradients.Length, {layout.ParameterCount}, \"ParameterCount\");");
            writer.Line($"NetworkArguments.CheckEmptyOrPerSampleLength({method}, nameof(inputGradients), inputGradients.Length, batch, {layout.InputSize}, \"InputSize\");");
            if (body is null)
            {
                writer.Line("// No layer below the head: its input gradients are the inputs' gradients.");
                using (writer.Open("if (!inputGradients.IsEmpty)"))
                {
                    writer.Line($"headInputGradients.Slice(0, {KernelText.Times("batch", head.Inputs)}).CopyTo(inputGradients);");
                }

                return;
            }

            writer.Line($"NetworkArguments.CheckPerSampleLength({method}, nameof(scratch), scratch.Length, batch, {layout.ScratchPerRow}, \"2 × the widest layer\");");
            writer.Line("int tile = batch;");
            string[] buffers = EmitBuffers(writer, layout);
            using (writer.Open("for (int start = 0; start < batch; start += tile)"))
            {
                writer.Line("int rows = Math.Min(tile, batch - start);");
                string gradients = KernelText.Local(body) + "Gradients";
                writer.Line($"Span<float> {gradients} = headInputGradients.Slice({KernelText.Times("start", body.Units)}, {KernelText.Times("rows", body.Units)});");
                EmitLayersDown(writer, layout, layers.Count - 2, gradients, buffers, 0, DenseKernelRole.DecoderHead);
            }
        }
    }

    private static void EmitTileLoop(CodeWriter writer, TargetLayout layout, DenseKernelRole headRole)
    {
        string[] buffers = EmitBuffers(writer, layout);
        using (writer.Open("for (int start = 0; start < batch; start += tile)"))
        {
            writer.Line("int rows = Math.Min(tile, batch - start);");
            var layers = layout.Layers;
            int nextBuffer = 0;

            // The gradient with respect to the last layer's outputs comes from the caller.
            LayerSlice last = layers[layers.Count - 1];
            string gradients = KernelText.Local(last) + "Gradients";
            string outputSlice = $"outputGradients.Slice({KernelText.Times("start", last.Units)}, {KernelText.Times("rows", last.Units)})";
            writer.Line();
            writer.Line($"// {last.Name} ({KernelText.Shape(last)}, {last.Activation}): the output gradients{(last.Activation == ActivationKind.Identity ? " are the gradients of z." : $" times {last.Activation}′ give the gradients of z.")}");
            if (last.Activation == ActivationKind.Identity)
            {
                writer.Line($"ReadOnlySpan<float> {gradients} = {outputSlice};");
            }
            else
            {
                writer.Line($"Span<float> {gradients} = {buffers[nextBuffer]}.Slice(0, {KernelText.Times("rows", last.Units)});");
                nextBuffer = 1 - nextBuffer;
                writer.Line($"ActivationKernels.{last.Activation}Backward({DerivativeSource(last)}, {outputSlice}, {gradients});");
            }

            EmitLayersDown(writer, layout, layers.Count - 1, gradients, buffers, nextBuffer, headRole);
        }
    }

    /// <summary>The two scratch buffers that take turns holding a layer's output gradients; returns their names.</summary>
    private static string[] EmitBuffers(CodeWriter writer, TargetLayout layout)
    {
        int width = layout.MaxUnits;
        writer.Line($"Span<float> bufferA = scratch.Slice(0, tile * {width});");
        writer.Line($"Span<float> bufferB = scratch.Slice(tile * {width}, tile * {width});");
        return new[] { "bufferA", "bufferB" };
    }

    /// <summary>
    /// Layers <paramref name="top"/> down to 0 of one tile of rows: each layer's weight gradient, then the gradients
    /// of the layer below (or of the inputs). <paramref name="gradients"/> holds the gradients of z of the top layer, or
    /// of its outputs when it is not the last layer (its activation's derivative is applied here).
    /// </summary>
    private static void EmitLayersDown(CodeWriter writer, TargetLayout layout, int top, string gradients, string[] buffers, int nextBuffer, DenseKernelRole headRole)
    {
        var layers = layout.Layers;
        for (int l = top; l >= 0; l--)
        {
            LayerSlice layer = layers[l];
            if (l < layers.Count - 1)
            {
                writer.Line();
                writer.Line($"// {layer.Name} ({KernelText.Shape(layer)}, {layer.Activation}){(layer.Activation == ActivationKind.Identity ? ": the gradients of its outputs are those of z." : $": gradients of z = gradients of its outputs × {layer.Activation}′.")}");
                if (layer.Activation != ActivationKind.Identity)
                {
                    writer.Line($"ActivationKernels.{layer.Activation}Backward({DerivativeSource(layer)}, {gradients}, {gradients});");
                }
            }

            DenseKernelRole role = layer.IsLast ? headRole : DenseKernelRole.Layer;
            string input = l == 0
                ? $"inputs.Slice({KernelText.Times("start", layer.Inputs)}, {KernelText.Times("rows", layer.Inputs)})"
                : TileSlice(layers[l - 1].ActivationSlot, layers[l - 1].Units);
            writer.Line($"{DenseWeightGradientKernelEmitter.MethodName(layer)}({input}, {gradients}, parameterGradients, rows{EveryInput(layer, role, withBias: true)});");
            if (l > 0)
            {
                string below = KernelText.Local(layers[l - 1]) + "Gradients";
                writer.Line($"Span<float> {below} = {buffers[nextBuffer]}.Slice(0, {KernelText.Times("rows", layer.Inputs)});");
                nextBuffer = 1 - nextBuffer;
                writer.Line($"{DenseInputGradientKernelEmitter.MethodName(layer)}(parameters, {gradients}, {below}, rows{EveryInput(layer, role, withBias: false)});");
                gradients = below;
            }
            else
            {
                using (writer.Open("if (!inputGradients.IsEmpty)"))
                {
                    writer.Line($"{DenseInputGradientKernelEmitter.MethodName(layer)}(parameters, {gradients}, inputGradients.Slice({KernelText.Times("start", layer.Inputs)}, {KernelText.Times("rows", layer.Inputs)}), rows{EveryInput(layer, role, withBias: false)});");
                }
            }
        }
    }

    /// <summary>
    /// The extra arguments that run a kernel over every input of <paramref name="layer"/>: none for kernels with constant
    /// bounds; for a range kernel (a decoder's head, run whole) the full range and, where it takes one, the bias flag.
    /// </summary>
    private static string EveryInput(LayerSlice layer, DenseKernelRole role, bool withBias)
        => role == DenseKernelRole.Layer ? string.Empty : $", 0, {layer.Inputs}{(withBias ? ", withBias: true" : string.Empty)}";

    /// <summary>The workspace slice of the current tile that the layer's activation derivative reads: z or f(z).</summary>
    internal static string DerivativeSource(LayerSlice layer)
        => layer.Activation.DerivativeNeedsPreActivation()
            ? TileSlice(layer.PreActivationSlot, layer.Units)
            : TileSlice(layer.ActivationSlot, layer.Units);

    /// <summary>The rows [start, start + rows) of the workspace region at <c>batch × slot</c>.</summary>
    internal static string TileSlice(int slot, int units)
        => $"workspace.Slice({Sum(KernelText.Times("batch", slot), KernelText.Times("start", units))}, {KernelText.Times("rows", units)})";

    /// <summary>The offset of a workspace region: batch × its per-sample offset.</summary>
    internal static string Region(int slot, string batch) => KernelText.Times(batch, slot);

    internal static string Sum(string left, string right)
        => left == "0" ? right : right == "0" ? left : $"{left} + {right}";
}
