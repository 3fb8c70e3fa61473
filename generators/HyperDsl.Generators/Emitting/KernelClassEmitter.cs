using System.Collections.Generic;
using System.Linq;
using HyperDsl.Generators.Model;

namespace HyperDsl.Generators.Emitting;

/// <summary>
/// Emits a file-local static class of kernels for a dense network — Forward, Backward, and per layer a forward, a
/// parameter-gradient and an input-gradient kernel for every SIMD path — inside the <c>HyperDsl.Generated</c>
/// namespace, where the user's own types cannot shadow the <c>using</c> directives.
/// </summary>
internal static class KernelClassEmitter
{
    /// <summary>The <c>using</c> directives every kernel namespace block starts with.</summary>
    public static void EmitUsings(CodeWriter writer, bool arrayPool)
    {
        writer.Line("using System;");
        if (arrayPool)
        {
            writer.Line("using System.Buffers;");
        }

        writer.Line("using System.Runtime.CompilerServices;");
        writer.Line("using System.Runtime.InteropServices;");
        writer.Line("using System.Runtime.Intrinsics;");
        writer.Line("using HyperDsl.Kernels;");
    }

    /// <summary>Whether a target network's kernel class rents its backward scratch (a decoder's comes from the caller).</summary>
    public static bool RentsScratch(TargetLayout layout)
        => layout.BackwardScratchFloatsPerTile > TargetLayout.MaxStackScratchFloats;

    /// <summary>The kernel class of a target network: Forward, Backward (scratch on the stack or rented), and each layer's kernels.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="className">The file-local class's name.</param>
    /// <param name="summary">Its XML summary.</param>
    /// <param name="network">The network's name as argument messages show it.</param>
    /// <param name="layout">The network's layout.</param>
    public static void EmitTarget(CodeWriter writer, string className, string summary, string network, TargetLayout layout)
    {
        using (OpenClass(writer, className, summary))
        {
            EmitGeometries(writer, layout);
            TargetPassEmitter.EmitForward(writer, network, layout);
            writer.Line();
            TargetPassEmitter.EmitBackward(writer, network, layout);
            EmitLayerKernels(writer, layout, DenseKernelRole.Layer);
        }
    }

    /// <summary>
    /// The kernel class of a hypernetwork's decoder g: Forward and Backward over all rows at once (the caller passes the
    /// scratch), the passes that two threads share (see <see cref="PassEmitter.EmitSplitPasses"/>), and each layer's
    /// kernels, the head's over a range of its inputs.
    /// </summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="className">The file-local class's name.</param>
    /// <param name="summary">Its XML summary.</param>
    /// <param name="network">The decoder's name as argument messages show it.</param>
    /// <param name="layout">The decoder's layout; its last layer is the head.</param>
    public static void EmitDecoder(CodeWriter writer, string className, string summary, string network, TargetLayout layout)
    {
        using (OpenClass(writer, className, summary))
        {
            PassEmitter.EmitForward(writer, network, layout, DenseKernelRole.DecoderHead);
            writer.Line();
            PassEmitter.EmitDecoderBackward(writer, network, layout);
            PassEmitter.EmitSplitPasses(writer, network, layout);
            EmitLayerKernels(writer, layout, DenseKernelRole.DecoderHead);
        }
    }

    private static CodeWriter.Block OpenClass(CodeWriter writer, string className, string summary)
    {
        writer.Line($"/// <summary>{summary}</summary>");
        writer.Line(TargetNetworkEmitter.GeneratedCodeAttribute);
        return writer.Open($"file static class {className}");
    }

    /// <summary>The shapes of each convolution and pool, as the runtime's spatial kernels take them.</summary>
    private static void EmitGeometries(CodeWriter writer, TargetLayout layout)
    {
        foreach (LayerSlice layer in layout.Layers)
        {
            LayerSpec spec = layer.Spec;
            if (layer.Kind is LayerKindSpec.Conv2D or LayerKindSpec.MaxPool2D or LayerKindSpec.AvgPool2D)
            {
                writer.Line($"/// <summary>{layer.Name}'s shapes: input {spec.Input} (NHWC inside), {spec.Kernel}×{spec.Kernel} windows every {spec.Stride}, output {spec.Output}.</summary>");
                writer.Line($"private static readonly ConvolutionGeometry {TargetPassEmitter.GeometryName(layer)} = new(Height: {spec.Input.Height}, Width: {spec.Input.Width}, Channels: {spec.Input.Channels}, Kernel: {spec.Kernel}, Stride: {spec.Stride}, PadTop: {spec.PadTop}, PadLeft: {spec.PadLeft}, OutputHeight: {spec.Output.Height}, OutputWidth: {spec.Output.Width});");
                writer.Line();
            }
        }
    }

    /// <summary>Each Dense or Conv2D layer's kernels (a convolution's are a dense product's); the last layer's cover <paramref name="headRole"/> of its inputs.</summary>
    private static void EmitLayerKernels(CodeWriter writer, TargetLayout layout, DenseKernelRole headRole)
    {
        foreach (LayerSlice spatial in layout.Layers)
        {
            if (spatial.AsDense is not { } layer)
            {
                continue;
            }

            LayerKernel[] kernels = spatial.Spec.ConvolvesDirectly
                ? DirectConvolutionKernelEmitter.Kernels(spatial)
                : LayerKernel.OfDenseLayer(layer, layer.IsLast ? headRole : DenseKernelRole.Layer);
            foreach (LayerKernel kernel in kernels)
            {
                writer.Line();
                EmitKernel(writer, spatial.Spec.ConvolvesDirectly ? spatial : layer, kernel);
            }
        }
    }

    /// <summary>
    /// Emits a kernel for every path and a dispatcher that calls the widest accelerated one. Neighbouring paths whose
    /// code comes out the same (a layer narrower than the wider register never uses it) share one method.
    /// </summary>
    private static void EmitKernel(CodeWriter writer, LayerSlice layer, LayerKernel kernel)
    {
        string method = kernel.MethodName;
        const string NamePlaceholder = "\u0001name\u0001";
        const string PathPlaceholder = "\u0001path\u0001";
        var groups = new List<(List<VectorTier> Tiers, string Text)>();
        foreach (VectorTier tier in VectorTier.All)
        {
            var body = new CodeWriter(writer.Depth);
            kernel.EmitPath(body, layer, tier, NamePlaceholder, PathPlaceholder);
            string text = body.ToString();
            if (groups.Count > 0 && groups[groups.Count - 1].Text == text)
            {
                groups[groups.Count - 1].Tiers.Add(tier);
            }
            else
            {
                groups.Add((new List<VectorTier> { tier }, text));
            }
        }

        writer.Line($"/// <summary>{kernel.Description}, on the widest accelerated path.</summary>");
        writer.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
        using (writer.Open($"private static void {method}({kernel.Parameters})"))
        {
            for (int g = 0; g < groups.Count; g++)
            {
                List<VectorTier> tiers = groups[g].Tiers;
                if (tiers.Any(tier => tier.Full.IsScalar))
                {
                    writer.Line(g == 0 ? "// No vector is needed at any width." : "else");
                }
                else
                {
                    writer.Line($"{(g == 0 ? "if" : "else if")} ({string.Join(" || ", tiers.Select(tier => tier.Condition))})");
                }

                using (writer.OpenScope())
                {
                    writer.Line($"{method}{tiers[0].Name}({kernel.Arguments});");
                }
            }
        }

        foreach ((List<VectorTier> tiers, string text) in groups)
        {
            string path = tiers.Count == 1
                ? tiers[0].Description
                : string.Join(", ", tiers.Take(tiers.Count - 1).Select(tier => tier.Description)) + " and " + tiers[tiers.Count - 1].Description + " (the same code at this width)";
            writer.Line();
            writer.Raw(text.Replace(NamePlaceholder, method + tiers[0].Name).Replace(PathPlaceholder, path));
        }
    }
}
