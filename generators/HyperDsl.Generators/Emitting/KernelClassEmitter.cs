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
    private delegate void KernelBody(CodeWriter writer, LayerSlice layer, VectorTier tier, string name, string path);

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

    /// <summary>Whether the kernel class of <paramref name="layout"/> rents its backward scratch.</summary>
    public static bool RentsScratch(TargetLayout layout, bool callerScratch)
        => !callerScratch && layout.BackwardScratchFloatsPerTile > TargetLayout.MaxStackScratchFloats;

    /// <param name="writer">Where to write.</param>
    /// <param name="className">The file-local class's name.</param>
    /// <param name="summary">Its XML summary.</param>
    /// <param name="network">The network's name as argument messages show it.</param>
    /// <param name="layout">The network's layout.</param>
    /// <param name="callerScratch">
    /// Whether this is a hypernetwork's generator: Backward takes its scratch from the caller (see
    /// <see cref="PassEmitter.EmitBackward"/>), and the passes split for two threads are emitted too.
    /// </param>
    public static void Emit(CodeWriter writer, string className, string summary, string network, TargetLayout layout, bool callerScratch)
    {
        writer.Line($"/// <summary>{summary}</summary>");
        writer.Line(TargetNetworkEmitter.GeneratedCodeAttribute);
        using (writer.Open($"file static class {className}"))
        {
            PassEmitter.EmitForward(writer, network, layout, splitHead: callerScratch);
            writer.Line();
            PassEmitter.EmitBackward(writer, network, layout, callerScratch);
            if (callerScratch)
            {
                PassEmitter.EmitSplitPasses(writer, network, layout);
            }

            foreach (LayerSlice layer in layout.Layers)
            {
                writer.Line();
                EmitLayerKernels(writer, layer, inputRange: callerScratch && layer.IsLast);
            }
        }
    }

    /// <param name="writer">Where to write.</param>
    /// <param name="layer">The layer.</param>
    /// <param name="inputRange">Whether the kernels take a range of inputs (a hypernetwork's head, split over threads).</param>
    private static void EmitLayerKernels(CodeWriter writer, LayerSlice layer, bool inputRange)
    {
        string description = $"{layer.Name} ({KernelText.Shape(layer)}, {layer.Activation})";
        if (inputRange)
        {
            EmitKernel(writer, layer, $"{description} forward", DenseForwardKernelEmitter.MethodName(layer), DenseForwardKernelEmitter.RangeParameters, DenseForwardKernelEmitter.RangeArguments, DenseForwardKernelEmitter.EmitForInputRange);
            writer.Line();
            EmitKernel(writer, layer, $"{description} parameter gradients", DenseWeightGradientKernelEmitter.MethodName(layer), DenseWeightGradientKernelEmitter.RangeParameters, DenseWeightGradientKernelEmitter.RangeArguments, DenseWeightGradientKernelEmitter.EmitForInputRange);
            writer.Line();
            EmitKernel(writer, layer, $"{description} input gradients", DenseInputGradientKernelEmitter.MethodName(layer), DenseInputGradientKernelEmitter.RangeParameters, DenseInputGradientKernelEmitter.RangeArguments, DenseInputGradientKernelEmitter.EmitForInputRange);
        }
        else
        {
            EmitKernel(writer, layer, $"{description} forward", DenseForwardKernelEmitter.MethodName(layer), DenseForwardKernelEmitter.Parameters, DenseForwardKernelEmitter.Arguments, DenseForwardKernelEmitter.Emit);
            writer.Line();
            EmitKernel(writer, layer, $"{description} parameter gradients", DenseWeightGradientKernelEmitter.MethodName(layer), DenseWeightGradientKernelEmitter.Parameters, DenseWeightGradientKernelEmitter.Arguments, DenseWeightGradientKernelEmitter.Emit);
            writer.Line();
            EmitKernel(writer, layer, $"{description} input gradients", DenseInputGradientKernelEmitter.MethodName(layer), DenseInputGradientKernelEmitter.Parameters, DenseInputGradientKernelEmitter.Arguments, DenseInputGradientKernelEmitter.Emit);
        }
    }

    /// <summary>
    /// Emits a kernel for every path and a dispatcher that calls the widest accelerated one. Neighbouring paths whose
    /// code comes out the same (a layer narrower than the wider register never uses it) share one method.
    /// </summary>
    private static void EmitKernel(CodeWriter writer, LayerSlice layer, string description, string method, string parameters, string arguments, KernelBody emit)
    {
        const string NamePlaceholder = "\u0001name\u0001";
        const string PathPlaceholder = "\u0001path\u0001";
        var groups = new List<(List<VectorTier> Tiers, string Text)>();
        foreach (VectorTier tier in VectorTier.All)
        {
            var body = new CodeWriter(writer.Depth);
            emit(body, layer, tier, NamePlaceholder, PathPlaceholder);
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

        writer.Line($"/// <summary>{description}, on the widest accelerated path.</summary>");
        writer.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
        using (writer.Open($"private static void {method}({parameters})"))
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
                    writer.Line($"{method}{tiers[0].Name}({arguments});");
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
