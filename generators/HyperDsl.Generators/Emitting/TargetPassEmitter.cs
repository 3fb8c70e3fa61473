using System.Collections.Generic;
using HyperDsl.Generators.Model;

namespace HyperDsl.Generators.Emitting;

/// <summary>
/// Emits a target network's Forward and Backward: the argument checks, then one statement group per layer that slices
/// the buffers and calls the layer's kernels — generated dense products for Dense and Conv2D layers (a convolution is
/// the product of its window rows with its weights), runtime kernels for the data movement of images, pooling and
/// normalisation — in the order of the math. Images are NHWC inside the network and NCHW at its edges.
/// </summary>
internal static partial class TargetPassEmitter
{
    /// <param name="writer">Where to write.</param>
    /// <param name="network">The network's name as messages show it.</param>
    /// <param name="layout">The network's layout.</param>
    public static void EmitForward(CodeWriter writer, string network, TargetLayout layout)
    {
        writer.Line("/// <summary>outputs = h(inputs; parameters), layer by layer; the workspace keeps what Backward needs.</summary>");
        using (writer.Open("public static void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, Span<float> outputs, int batch, Span<float> workspace)"))
        {
            writer.Line($"NetworkArguments.CheckForward(\"{network}.Forward\", parameters, {layout.ParameterCount}, inputs, {layout.InputSize}, outputs, {layout.OutputSize}, batch, workspace, {layout.WorkspacePerSample});");
            string previous = "inputs";
            if (layout.Input.IsImage)
            {
                writer.Line();
                writer.Line($"// The input images ({layout.Input}, NCHW) turned channels-last (NHWC), as every image inside the network is kept.");
                writer.Line($"Span<float> input = workspace.Slice({PassEmitter.Region(layout.InputSlot, "batch")}, {KernelText.Times("batch", layout.InputSize)});");
                writer.Line($"SpatialKernels.ChannelsLast(inputs, input, batch, {layout.Input.Channels}, {layout.Input.Height * layout.Input.Width});");
                previous = "input";
            }

            foreach (LayerSlice layer in layout.Layers)
            {
                writer.Line();
                previous = layer.Kind switch
                {
                    LayerKindSpec.Dense or LayerKindSpec.Conv2D => EmitProductForward(writer, layer, previous),
                    LayerKindSpec.LayerNorm => EmitLayerNormForward(writer, layer, previous),
                    _ => EmitPoolForward(writer, layer, previous),
                };
            }

            if (layout.Output.IsImage)
            {
                writer.Line();
                writer.Line($"// The output images ({layout.Output}) back to NCHW for the caller.");
                writer.Line($"SpatialKernels.ChannelsFirst({previous}, outputs, batch, {layout.Output.Channels}, {layout.Output.Height * layout.Output.Width});");
            }
        }
    }

    /// <summary>
    /// A Dense or Conv2D layer: y = f(x·W + b) over its rows — a sample's features, or each output pixel's window — with
    /// the activation fused into the product where it can be, z kept where f′ needs it, and x added for a residual.
    /// Returns the name of its output.
    /// </summary>
    private static string EmitProductForward(CodeWriter writer, LayerSlice layer, string previous)
    {
        bool convolution = layer.Kind == LayerKindSpec.Conv2D;
        LayerSlice product = layer.AsDense!;
        string local = KernelText.Local(layer);
        string formula = layer.Residual ? $"x + {KernelText.Formula(layer)}" : KernelText.Formula(layer);
        writer.Line(!convolution
            ? $"// {layer.Name} ({KernelText.Shape(layer)}): y = {formula}."
            : layer.Spec.ConvolvesDirectly
                ? $"// {layer.Name} ({KernelText.Shape(layer)}, {layer.Spec.Kernel}×{layer.Spec.Kernel} windows, stride 1): y = {formula}, x one output pixel's window, read in place: one channel's windows are runs of its rows."
                : $"// {layer.Name} ({KernelText.Shape(layer)}, {layer.Spec.Kernel}×{layer.Spec.Kernel} windows, stride {layer.Spec.Stride}): y = {formula}, x one output pixel's window.");
        string rows = "batch";
        string source = previous;
        if (convolution && !layer.Spec.ConvolvesDirectly)
        {
            string windows = local + "Windows";
            writer.Line($"Span<float> {windows} = workspace.Slice({PassEmitter.Region(layer.ColumnsSlot, "batch")}, {KernelText.Times("batch", layer.OutputPixelsTimesTaps())});");
            writer.Line($"SpatialKernels.WindowsToRows({previous}, {windows}, batch, {GeometryName(layer)});");
            source = windows;
            rows = KernelText.Times("batch", layer.Spec.OutputPixels);
        }

        string preActivations = local + "PreActivations";
        string activations = local + "Activations";
        string outputs = local + "Outputs";
        if (layer.KeepsPreActivations)
        {
            writer.Line($"Span<float> {preActivations} = workspace.Slice({PassEmitter.Region(layer.PreActivationSlot, "batch")}, {KernelText.Times("batch", layer.Units)});");
        }

        if (layer.KeepsActivations)
        {
            writer.Line($"Span<float> {activations} = workspace.Slice({PassEmitter.Region(layer.ActivationSlot, "batch")}, {KernelText.Times("batch", layer.Units)});");
        }

        // Where f(z) goes: its own region when kept; else the output (a residual's output region, or the caller's).
        string callerOutputs = $"outputs.Slice(0, {KernelText.Times("batch", layer.Units)})";
        if (layer.Residual && layer.KeepsOutput)
        {
            writer.Line($"Span<float> {outputs} = workspace.Slice({PassEmitter.Region(layer.OutputSlot, "batch")}, {KernelText.Times("batch", layer.Units)});");
        }

        string destination = layer.Residual && layer.KeepsOutput ? outputs : callerOutputs;
        string fused = layer.KeepsActivations ? activations : layer.Residual ? destination : "outputs";
        string result = layer.KeepsActivations ? activations : destination;
        string kernel = DenseForwardKernelEmitter.MethodName(product);
        switch (layer.Activation)
        {
            case ActivationKind.Identity or ActivationKind.Relu or ActivationKind.LeakyRelu:
                writer.Line($"{kernel}(parameters, {source}, {fused}, {rows});");
                break;
            case ActivationKind.Tanh or ActivationKind.Sigmoid or ActivationKind.Elu:
                writer.Line($"{kernel}(parameters, {source}, {activations}, {rows});");
                writer.Line($"ActivationKernels.{layer.Activation}({activations}, {activations});");
                break;
            default:
                writer.Line($"{kernel}(parameters, {source}, {preActivations}, {rows});");
                writer.Line($"ActivationKernels.{layer.Activation}({preActivations}, {result});");
                break;
        }

        if (layer.Residual)
        {
            writer.Line($"ActivationKernels.AddResidual({previous}, {result}, {destination});");
            return layer.KeepsOutput ? outputs : "outputs";
        }

        if (layer.IsLast && layer.KeepsActivations && !layer.KeepsOutput)
        {
            writer.Line($"{activations}.CopyTo(outputs);");
        }

        return activations;
    }

    private static string EmitPoolForward(CodeWriter writer, LayerSlice layer, string previous)
    {
        LayerSpec spec = layer.Spec;
        string output = layer.KeepsOutput ? KernelText.Local(layer) + "Outputs" : "outputs";
        string target = layer.KeepsOutput ? output : $"outputs.Slice(0, {KernelText.Times("batch", layer.Units)})";
        switch (layer.Kind)
        {
            case LayerKindSpec.MaxPool2D:
                writer.Line($"// {layer.Name} ({KernelText.Shape(layer)}): the largest value of each {spec.Kernel}×{spec.Kernel} window, per channel.");
                break;
            case LayerKindSpec.AvgPool2D:
                writer.Line($"// {layer.Name} ({KernelText.Shape(layer)}): the mean of each {spec.Kernel}×{spec.Kernel} window, per channel.");
                break;
            default:
                writer.Line($"// {layer.Name} ({KernelText.Shape(layer)}): the mean of each channel over the image.");
                break;
        }

        if (layer.KeepsOutput)
        {
            writer.Line($"Span<float> {output} = workspace.Slice({PassEmitter.Region(layer.OutputSlot, "batch")}, {KernelText.Times("batch", layer.Units)});");
        }

        writer.Line(layer.Kind switch
        {
            LayerKindSpec.MaxPool2D => $"SpatialKernels.MaxPool({previous}, {target}, batch, {GeometryName(layer)});",
            LayerKindSpec.AvgPool2D => $"SpatialKernels.AvgPool({previous}, {target}, batch, {GeometryName(layer)});",
            _ => $"SpatialKernels.GlobalAvgPool({previous}, {target}, batch, {spec.Input.Channels}, {spec.Input.Height * spec.Input.Width});",
        });
        return output;
    }

    private static string EmitLayerNormForward(CodeWriter writer, LayerSlice layer, string previous)
    {
        string local = KernelText.Local(layer);
        string normalized = local + "Normalized";
        string deviation = local + "InverseDeviation";
        string output = layer.KeepsOutput ? local + "Outputs" : "outputs";
        string target = layer.KeepsOutput ? output : $"outputs.Slice(0, {KernelText.Times("batch", layer.Units)})";
        writer.Line($"// {layer.Name} ({KernelText.Shape(layer)}): y = {(layer.Spec.Residual ? "x + " : string.Empty)}γ ⊙ (x − mean) / √(variance + 1e-5) + β over each sample's features.");
        writer.Line($"Span<float> {normalized} = workspace.Slice({PassEmitter.Region(layer.ActivationSlot, "batch")}, {KernelText.Times("batch", layer.Units)});");
        writer.Line($"Span<float> {deviation} = workspace.Slice({PassEmitter.Region(layer.StatisticsSlot, "batch")}, batch);");
        if (layer.KeepsOutput)
        {
            writer.Line($"Span<float> {output} = workspace.Slice({PassEmitter.Region(layer.OutputSlot, "batch")}, {KernelText.Times("batch", layer.Units)});");
        }

        writer.Line($"NormalizationKernels.LayerNorm({previous}, parameters.Slice({layer.WeightsOffset}, {layer.Units}), parameters.Slice({layer.BiasOffset}, {layer.Units}), {normalized}, {deviation}, {target}, batch, {layer.Units});");
        if (layer.Spec.Residual)
        {
            writer.Line($"ActivationKernels.AddResidual({previous}, {target}, {target});");
        }

        return output;
    }

    /// <summary>The name of the static field that holds a spatial layer's <c>ConvolutionGeometry</c>.</summary>
    public static string GeometryName(LayerSlice layer) => layer.Name + "Geometry";

    private static int OutputPixelsTimesTaps(this LayerSlice layer) => layer.Spec.OutputPixels * layer.Spec.ConvolutionTaps;
}
