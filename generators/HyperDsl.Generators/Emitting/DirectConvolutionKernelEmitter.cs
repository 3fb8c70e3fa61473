using System.Collections.Generic;
using System.Linq;
using HyperDsl.Generators.Model;

namespace HyperDsl.Generators.Emitting;

/// <summary>
/// Emits the kernels of a convolution computed directly (<see cref="LayerSpec.ConvolvesDirectly"/>: one input channel,
/// stride 1, no padding). The inputs under a run of output columns are a run of an input row, so every kernel is
/// vectorised over output columns and the filters are unrolled: the forward pass keeps a register per filter of a
/// group and streams the window's taps; the weight gradient keeps a register per tap of a window row and streams the
/// output rows; the input gradient scatters each tap's sum over the filters. The gradients arrive filter by filter
/// (NCHW), turned by the backward pass, so that a filter's gradients over a run of columns are one load.
/// </summary>
internal static class DirectConvolutionKernelEmitter
{
    private const string ForwardParameters = "ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch";

    private const string WeightGradientParameters = "ReadOnlySpan<float> input, ReadOnlySpan<float> filterGradients, Span<float> parameterGradients, int rows";

    private const string InputGradientParameters = "ReadOnlySpan<float> parameters, ReadOnlySpan<float> filterGradients, Span<float> inputGradient, int rows";

    /// <summary>The forward, weight-gradient and input-gradient kernels of <paramref name="layer"/>.</summary>
    public static LayerKernel[] Kernels(LayerSlice layer)
    {
        string what = $"{layer.Name} ({KernelText.Shape(layer)}, {layer.Activation}, computed directly)";
        return new[]
        {
            new LayerKernel(what + " forward", DenseForwardKernelEmitter.MethodName(layer), ForwardParameters, "parameters, input, output, batch", EmitForward),
            new LayerKernel(what + " weight gradients", DenseWeightGradientKernelEmitter.MethodName(layer), WeightGradientParameters, "input, filterGradients, parameterGradients, rows", EmitWeightGradient),
            new LayerKernel(what + " input gradients", DenseInputGradientKernelEmitter.MethodName(layer), InputGradientParameters, "parameters, filterGradients, inputGradient, rows", EmitInputGradient),
        };
    }

    /// <summary>Filters whose accumulators one register group holds: what the path's register file leaves after an input and a weight.</summary>
    private static int FilterGroup(VectorTier tier) => tier.Full == VectorKind.Vector512 ? 16 : 8;

    /// <summary>
    /// Filters per group in the forward pass, which keeps a register per filter and segment: the path's registers (32
    /// with AVX-512, else 16) less four for the segments' inputs, a weight and a spare, shared among the segments.
    /// </summary>
    private static int ForwardFilterGroup(VectorTier tier, int segments) => ((tier.Full == VectorKind.Vector512 ? 32 : 16) - 4) / segments;

    /// <summary>The runs of output columns the path covers with one register each: full ones in a loop, then narrower ones.</summary>
    private static ColumnPlan Columns(LayerSlice layer, VectorTier tier) => ColumnPlan.Create(layer.Spec.Output.Width, tier, perBlock: 1);

    private static void EmitForward(CodeWriter writer, LayerSlice layer, VectorTier tier, string name, string path)
    {
        LayerSpec spec = layer.Spec;
        int k = spec.Kernel, filters = spec.Output.Channels, width = spec.Input.Width, outputWidth = spec.Output.Width;
        string fused = layer.Activation.IsFusedIntoKernel() ? KernelText.Formula(layer) : "x·W + b";
        writer.Line($"/// <summary>{layer.Name} forward, {path}: y = {fused} at every output pixel of <paramref name=\"batch\"/> images, runs of columns of an output row at a time.</summary>");
        using (writer.Open($"private static void {name}({ForwardParameters})"))
        {
            writer.Line($"ref float w = ref Unsafe.Add(ref MemoryMarshal.GetReference(parameters), {layer.WeightsOffset}); // weights [{k * k} × {filters}]: row ky·{k} + kx holds tap (ky, kx) of every filter");
            writer.Line($"ref float b = ref Unsafe.Add(ref MemoryMarshal.GetReference(parameters), {layer.BiasOffset}); // bias [{filters}]");
            writer.Line($"ref float x = ref MemoryMarshal.GetReference(input); // [batch × {spec.Input.Height} × {width}], one channel");
            writer.Line($"Span<float> row = stackalloc float[{filters * outputWidth}]; // an output row, filter by filter, before it is interleaved into NHWC");
            writer.Line("ref float r = ref MemoryMarshal.GetReference(row);");
            using (writer.Open("for (int n = 0; n < batch; n++)"))
            {
                using (writer.Open($"for (int oy = 0; oy < {spec.Output.Height}; oy++)"))
                {
                    writer.Line($"ref float top = ref Unsafe.Add(ref x, {KernelText.Times("n", spec.Input.Size)} + {KernelText.Times("oy", width)}); // the first input row under this output row");
                    TileLoops.Columns(writer, ColumnPlan.Create(outputWidth, tier, perBlock: ForwardSegments), (block, column) => EmitForwardBlock(writer, layer, tier, block, column));
                    writer.Line($"SpatialKernels.ChannelsLast(row, output.Slice({KernelText.Times("n", layer.Units)} + {KernelText.Times("oy", outputWidth * filters)}, {outputWidth * filters}), 1, {filters}, {outputWidth});");
                }
            }
        }
    }

    /// <summary>
    /// Registers of output columns the forward pass computes together: each tap's weights, broadcast once, serve them
    /// all, and twice the independent sums keep both FMA units busy through their latency.
    /// </summary>
    private const int ForwardSegments = 2;

    /// <summary>
    /// The output columns of <paramref name="block"/> from <paramref name="column"/>, the filters a group at a time:
    /// a register per filter and segment, what the register file leaves after the inputs and a weight.
    /// </summary>
    private static void EmitForwardBlock(CodeWriter writer, LayerSlice layer, VectorTier tier, ColumnBlock block, string column)
    {
        LayerSpec spec = layer.Spec;
        int k = spec.Kernel, filters = spec.Output.Channels, outputWidth = spec.Output.Width;
        IReadOnlyList<Segment> segments = block.Segments;
        bool oneKind = segments.All(segment => segment.Kind == segments[0].Kind);
        string inputColumn = KernelText.DeclareOffset(writer, "left", "top", column);
        string outputColumn = KernelText.DeclareOffset(writer, "outputColumn", "r", column);
        foreach ((int first, int count) in Groups(filters, ForwardFilterGroup(tier, segments.Count)))
        {
            using (writer.OpenScope(count == filters ? null : $"filters [{first}, {first + count})"))
            {
                for (int f = first; f < first + count; f++)
                {
                    for (int s = 0; s < segments.Count; s++)
                    {
                        writer.Line($"{Type(segments[s].Kind)} {ForwardSum(f, s, segments.Count)} = {segments[s].Kind.Broadcast(VectorKind.Element("b", f))};");
                    }
                }

                using (writer.Open($"for (int ky = 0; ky < {k}; ky++)"))
                {
                    writer.Line($"ref float inputRow = ref Unsafe.Add(ref {inputColumn}, {KernelText.Times("ky", spec.Input.Width)});");
                    writer.Line($"ref float taps = ref Unsafe.Add(ref w, {KernelText.Times("ky", k * filters)});");
                    using (writer.Open($"for (int kx = 0; kx < {k}; kx++)"))
                    {
                        writer.Line("ref float under = ref Unsafe.Add(ref inputRow, kx);");
                        for (int s = 0; s < segments.Count; s++)
                        {
                            writer.Line($"{Type(segments[s].Kind)} {ForwardValue(s, segments.Count)} = {segments[s].Kind.Load("under", segments[s].Offset)};");
                        }

                        writer.Line($"ref float tap = ref Unsafe.Add(ref taps, {KernelText.Times("kx", filters)});");
                        for (int f = first; f < first + count; f++)
                        {
                            string element = VectorKind.Element("tap", f);
                            if (segments.Count > 1 && oneKind)
                            {
                                writer.Line($"{Type(segments[0].Kind)} weight{f} = {segments[0].Kind.Broadcast(element)};");
                            }

                            for (int s = 0; s < segments.Count; s++)
                            {
                                string weight = segments.Count > 1 && oneKind ? $"weight{f}" : segments[s].Kind.Broadcast(element);
                                writer.Line(segments[s].Kind.MultiplyAdd(ForwardSum(f, s, segments.Count), ForwardValue(s, segments.Count), weight));
                            }
                        }
                    }
                }

                for (int f = first; f < first + count; f++)
                {
                    for (int s = 0; s < segments.Count; s++)
                    {
                        writer.Line(segments[s].Kind.Store(KernelText.FusedActivation(layer.Activation, segments[s].Kind, ForwardSum(f, s, segments.Count)), outputColumn, (f * outputWidth) + segments[s].Offset));
                    }
                }
            }
        }
    }

    /// <summary>Filter <paramref name="f"/>'s sum over segment <paramref name="s"/>: sum3, or sum3a, sum3b when a block has several.</summary>
    private static string ForwardSum(int f, int s, int segments) => segments == 1 ? $"sum{f}" : $"sum{f}{(char)('a' + s)}";

    /// <summary>The inputs under segment <paramref name="s"/> for the current tap: value, or valueA, valueB.</summary>
    private static string ForwardValue(int s, int segments) => segments == 1 ? "value" : $"value{(char)('A' + s)}";

    private static void EmitWeightGradient(CodeWriter writer, LayerSlice layer, VectorTier tier, string name, string path)
    {
        LayerSpec spec = layer.Spec;
        int k = spec.Kernel, filters = spec.Output.Channels, width = spec.Input.Width, outputWidth = spec.Output.Width;
        ColumnPlan plan = Columns(layer, tier);
        var kinds = Kinds(plan);
        writer.Line($"/// <summary>{layer.Name} weight gradients, {path}: dW[ky·{k} + kx, f] += Σ over output pixels of g[f] · x under tap (ky, kx), over <paramref name=\"rows\"/> images; the bias's come from the sums of the filter gradients.</summary>");
        using (writer.Open($"private static void {name}({WeightGradientParameters})"))
        {
            writer.Line($"ref float x = ref MemoryMarshal.GetReference(input); // [rows × {spec.Input.Height} × {width}], one channel");
            writer.Line($"ref float g = ref MemoryMarshal.GetReference(filterGradients); // [rows × {filters} × {spec.OutputPixels}], filter by filter");
            writer.Line($"ref float dw = ref Unsafe.Add(ref MemoryMarshal.GetReference(parameterGradients), {layer.WeightsOffset}); // [{k * k} × {filters}]");
            using (writer.Open("for (int n = 0; n < rows; n++)"))
            {
                writer.Line($"ref float image = ref Unsafe.Add(ref x, {KernelText.Times("n", spec.Input.Size)});");
                using (writer.Open($"for (int f = 0; f < {filters}; f++)"))
                {
                    writer.Line($"ref float gradients = ref Unsafe.Add(ref g, {KernelText.Times("n", layer.Units)} + {KernelText.Times("f", spec.OutputPixels)});");
                    writer.Line($"// One window row at a time: its {k} taps' sums stay in registers while the output rows stream past.");
                    using (writer.Open($"for (int ky = 0; ky < {k}; ky++)"))
                    {
                        foreach (VectorKind kind in kinds)
                        {
                            for (int kx = 0; kx < k; kx++)
                            {
                                writer.Line($"{Type(kind)} {Sum(kind, kx)} = {kind.Zero};");
                            }
                        }

                        using (writer.Open($"for (int oy = 0; oy < {spec.Output.Height}; oy++)"))
                        {
                            writer.Line($"ref float gradientRow = ref Unsafe.Add(ref gradients, {KernelText.Times("oy", outputWidth)});");
                            writer.Line($"ref float inputRow = ref Unsafe.Add(ref image, (oy + ky) * {width});");
                            TileLoops.Columns(writer, plan, (block, column) =>
                            {
                                string gradientColumn = KernelText.DeclareOffset(writer, "gradientColumn", "gradientRow", column);
                                string inputColumn = KernelText.DeclareOffset(writer, "inputColumn", "inputRow", column);
                                foreach (Segment segment in block.Segments)
                                {
                                    VectorKind kind = segment.Kind;
                                    writer.Line($"{Type(kind)} gradient{kind.Suffix} = {kind.Load(gradientColumn, segment.Offset)};");
                                    for (int kx = 0; kx < k; kx++)
                                    {
                                        writer.Line(kind.MultiplyAdd(Sum(kind, kx), $"gradient{kind.Suffix}", kind.Load(inputColumn, segment.Offset + kx)));
                                    }
                                }
                            });
                        }

                        for (int kx = 0; kx < k; kx++)
                        {
                            string total = string.Join(" + ", kinds.Select(kind => kind.Sum(Sum(kind, kx))));
                            writer.Line($"Unsafe.Add(ref dw, {KernelText.Times("ky", k * filters)} + {KernelText.Plus("f", kx * filters)}) += {total};");
                        }
                    }
                }
            }
        }
    }

    private static void EmitInputGradient(CodeWriter writer, LayerSlice layer, VectorTier tier, string name, string path)
    {
        LayerSpec spec = layer.Spec;
        int k = spec.Kernel, filters = spec.Output.Channels, width = spec.Input.Width, outputWidth = spec.Output.Width;
        writer.Line($"/// <summary>{layer.Name} input gradients, {path}: dx = Σ over windows and filters of g[f] · W[tap, f] at each tap's pixel, written for <paramref name=\"rows\"/> images.</summary>");
        using (writer.Open($"private static void {name}({InputGradientParameters})"))
        {
            writer.Line($"ref float w = ref Unsafe.Add(ref MemoryMarshal.GetReference(parameters), {layer.WeightsOffset}); // weights [{k * k} × {filters}]");
            writer.Line($"ref float g = ref MemoryMarshal.GetReference(filterGradients); // [rows × {filters} × {spec.OutputPixels}], filter by filter");
            writer.Line($"ref float dx = ref MemoryMarshal.GetReference(inputGradient); // [rows × {spec.Input.Height} × {width}], one channel");
            writer.Line($"inputGradient.Slice(0, {KernelText.Times("rows", spec.Input.Size)}).Clear();");
            using (writer.Open("for (int n = 0; n < rows; n++)"))
            {
                writer.Line($"ref float gradients = ref Unsafe.Add(ref g, {KernelText.Times("n", layer.Units)});");
                using (writer.Open($"for (int oy = 0; oy < {spec.Output.Height}; oy++)"))
                {
                    writer.Line($"ref float gradientRow = ref Unsafe.Add(ref gradients, {KernelText.Times("oy", outputWidth)});");
                    writer.Line($"ref float top = ref Unsafe.Add(ref dx, {KernelText.Times("n", spec.Input.Size)} + {KernelText.Times("oy", width)}); // the first input row under this output row");
                    TileLoops.Columns(writer, Columns(layer, tier), (block, column) =>
                    {
                        foreach (Segment segment in block.Segments)
                        {
                            EmitInputGradientSegment(writer, layer, tier, segment.Kind, KernelText.Plus(column, segment.Offset));
                        }
                    });
                }
            }
        }
    }

    /// <summary>One register of output columns from <paramref name="column"/>: each tap's sum over a group of filters added under it.</summary>
    private static void EmitInputGradientSegment(CodeWriter writer, LayerSlice layer, VectorTier tier, VectorKind kind, string column)
    {
        LayerSpec spec = layer.Spec;
        int k = spec.Kernel, filters = spec.Output.Channels;
        string gradientColumn = KernelText.DeclareOffset(writer, "gradientColumn", "gradientRow", column);
        string inputColumn = KernelText.DeclareOffset(writer, "left", "top", column);
        foreach ((int first, int count) in Groups(filters, FilterGroup(tier)))
        {
            using (writer.OpenScope(count == filters ? null : $"filters [{first}, {first + count})"))
            {
                for (int f = first; f < first + count; f++)
                {
                    writer.Line($"{Type(kind)} gradient{f} = {kind.Load(gradientColumn, f * spec.OutputPixels)};");
                }

                using (writer.Open($"for (int ky = 0; ky < {k}; ky++)"))
                {
                    writer.Line($"ref float inputRow = ref Unsafe.Add(ref {inputColumn}, {KernelText.Times("ky", spec.Input.Width)});");
                    writer.Line($"ref float taps = ref Unsafe.Add(ref w, {KernelText.Times("ky", k * filters)});");
                    using (writer.Open($"for (int kx = 0; kx < {k}; kx++)"))
                    {
                        writer.Line($"ref float tap = ref Unsafe.Add(ref taps, {KernelText.Times("kx", filters)});");
                        writer.Line($"ref float target = ref Unsafe.Add(ref inputRow, kx);");
                        writer.Line($"{Type(kind)} sum = {kind.Load("target", 0)};");
                        for (int f = first; f < first + count; f++)
                        {
                            writer.Line(kind.MultiplyAdd("sum", $"gradient{f}", kind.Broadcast(VectorKind.Element("tap", f))));
                        }

                        writer.Line(kind.Store("sum", "target", 0));
                    }
                }
            }
        }
    }

    /// <summary>[first, first + count) ranges of at most <paramref name="size"/> filters.</summary>
    private static IEnumerable<(int First, int Count)> Groups(int filters, int size)
    {
        int groups = (filters + size - 1) / size;
        int perGroup = (filters + groups - 1) / groups;
        for (int first = 0; first < filters; first += perGroup)
        {
            yield return (first, System.Math.Min(perGroup, filters - first));
        }
    }

    /// <summary>The register kinds a plan uses, widest first.</summary>
    private static List<VectorKind> Kinds(ColumnPlan plan)
    {
        var blocks = new List<ColumnBlock>(plan.Unrolled);
        if (plan.LoopBody is { } body)
        {
            blocks.Add(body);
        }

        return blocks.SelectMany(block => block.Segments).Select(segment => segment.Kind).Distinct().OrderByDescending(kind => kind.Lanes).ToList();
    }

    private static string Sum(VectorKind kind, int kx) => kind.IsScalar ? $"sum{kx}" : $"sum{kind.Suffix}x{kx}";

    private static string Type(VectorKind kind) => kind.IsScalar ? "float" : $"Vector{kind.Suffix}<float>";
}
