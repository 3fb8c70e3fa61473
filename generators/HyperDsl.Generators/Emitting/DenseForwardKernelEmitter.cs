using System.Collections.Generic;
using System.Linq;
using HyperDsl.Generators.Model;

namespace HyperDsl.Generators.Emitting;

/// <summary>
/// Emits a dense layer's forward kernel on one path: <c>y[n, :] = x[n, :]·W + b</c> (with Relu or LeakyRelu fused
/// into the store), a micro-tile of samples × columns at a time, accumulators initialised from the bias, one weight
/// row streamed per input and multiplied by a broadcast input of each sample.
/// </summary>
internal static class DenseForwardKernelEmitter
{
    public static string MethodName(LayerSlice layer) => layer.Name + "Forward";

    private const string Parameters = "ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch";

    private const string Arguments = "parameters, input, output, batch";

    /// <summary>
    /// The forward kernel of <paramref name="layer"/>. As a <see cref="DenseKernelRole.DecoderHead"/> (no activation) it
    /// computes y = Σᵢ x[:, i]·W[i, :] for the inputs i in [inputStart, inputEnd), plus b when
    /// <c>withBias</c>, so that two threads can each sum their part of the inputs over every row and read only their
    /// rows of W, and exactly one of them adds the bias wherever the split falls.
    /// </summary>
    public static LayerKernel Kernel(LayerSlice layer, DenseKernelRole role)
    {
        if (role == DenseKernelRole.DecoderHead && layer.Activation != ActivationKind.Identity)
        {
            throw new System.InvalidOperationException("Only a linear layer's sum can be split over its inputs.");
        }

        return LayerKernel.Dense(layer, "forward", MethodName(layer), Parameters, Arguments, role, withBias: true, Emit);
    }

    private static void Emit(CodeWriter writer, LayerSlice layer, VectorTier tier, string name, string path, string parameters, bool decoderHead)
    {
        int inputs = layer.Inputs;
        int units = layer.Units;
        string fused = layer.Activation.IsFusedIntoKernel() ? KernelText.Formula(layer) : "x·W + b";
        string what = decoderHead ? "y = Σᵢ x[:, i]·W[i, :] for the inputs i in [inputStart, inputEnd), + b when withBias," : $"y = {fused}";
        writer.Line($"/// <summary>{layer.Name} forward, {path}: {what} for each of <paramref name=\"batch\"/> samples.</summary>");
        using (writer.Open($"private static void {name}({parameters})"))
        {
            writer.Line($"ref float w = ref Unsafe.Add(ref MemoryMarshal.GetReference(parameters), {layer.WeightsOffset}); // weights [{inputs} × {units}], input-major");
            writer.Line($"ref float b = ref Unsafe.Add(ref MemoryMarshal.GetReference(parameters), {layer.BiasOffset}); // bias [{units}]");
            writer.Line($"ref float x = ref MemoryMarshal.GetReference(input); // [batch × {inputs}]");
            writer.Line($"ref float y = ref MemoryMarshal.GetReference(output); // [batch × {units}]");
            if (tier.Full.IsScalar)
            {
                EmitScalar(writer, layer, decoderHead);
                return;
            }

            // Column blocks outermost: a block's columns of W stay in L1 while every sample of the batch passes.
            var plan = ColumnPlan.Create(units, tier);
            TileLoops.Columns(writer, plan, (block, column) => EmitColumnBlock(writer, layer, tier, block, column, decoderHead));
        }
    }

    private static void EmitColumnBlock(CodeWriter writer, LayerSlice layer, VectorTier tier, ColumnBlock block, string column, bool decoderHead)
    {
        string weights = KernelText.DeclareOffset(writer, "wj", "w", column);
        string bias = KernelText.DeclareOffset(writer, "bj", "b", column);
        writer.Line("int n = 0;");
        if (tier.ForwardRows > 1)
        {
            writer.Line($"// {tier.ForwardRows} samples at a time: each weight register is loaded once for all of them.");
            using (writer.Open($"for (; n <= batch - {tier.ForwardRows}; n += {tier.ForwardRows})"))
            {
                EmitTile(writer, layer, block, tier.ForwardRows, column, weights, bias, decoderHead);
            }
        }

        writer.Line("// The remaining samples one at a time.");
        using (writer.Open("for (; n < batch; n++)"))
        {
            EmitTile(writer, layer, block, 1, column, weights, bias, decoderHead);
        }
    }

    /// <summary>The path without vectors: plain loops, one output at a time.</summary>
    private static void EmitScalar(CodeWriter writer, LayerSlice layer, bool decoderHead)
    {
        using (writer.Open("for (int n = 0; n < batch; n++)"))
        {
            writer.Line($"ref float xn = ref Unsafe.Add(ref x, {KernelText.Times("n", layer.Inputs)});");
            writer.Line($"ref float yn = ref Unsafe.Add(ref y, {KernelText.Times("n", layer.Units)});");
            using (writer.Open($"for (int o = 0; o < {layer.Units}; o++)"))
            {
                writer.Line(decoderHead ? "float acc = withBias ? Unsafe.Add(ref b, o) : 0f;" : "float acc = Unsafe.Add(ref b, o);");
                using (writer.Open(decoderHead ? "for (int i = inputStart; i < inputEnd; i++)" : $"for (int i = 0; i < {layer.Inputs}; i++)"))
                {
                    writer.Line($"acc += Unsafe.Add(ref xn, i) * Unsafe.Add(ref w, {KernelText.Times("i", layer.Units)} + o);");
                }

                writer.Line($"Unsafe.Add(ref yn, o) = {KernelText.FusedActivation(layer.Activation, VectorKind.Scalar, "acc")};");
            }
        }
    }

    /// <summary>One micro-tile: <paramref name="rows"/> samples × the block's columns, accumulated over every input.</summary>
    private static void EmitTile(CodeWriter writer, LayerSlice layer, ColumnBlock block, int rows, string column, string weights, string bias, bool decoderHead)
    {
        int inputs = layer.Inputs;
        int units = layer.Units;
        IReadOnlyList<Segment> segments = block.Segments;
        writer.Line($"ref float xn = ref Unsafe.Add(ref x, {KernelText.Times("n", inputs)});");
        string outputs = column == "0" ? "yn" : "yj";
        writer.Line($"ref float {outputs} = ref Unsafe.Add(ref y, {(column == "0" ? KernelText.Times("n", units) : $"{KernelText.Times("n", units)} + {column}")});");
        for (int s = 0; s < segments.Count; s++)
        {
            string load = segments[s].Kind.Load(bias, segments[s].Offset);
            writer.Line($"var acc0_{s} = {(decoderHead ? $"withBias ? {load} : {segments[s].Kind.Zero}" : load)};");
        }

        for (int r = 1; r < rows; r++)
        {
            writer.Line(string.Join(" ", Enumerable.Range(0, segments.Count).Select(s => $"var acc{r}_{s} = acc0_{s};")));
        }

        if (inputs <= KernelText.UnrolledInputs && !decoderHead)
        {
            for (int i = 0; i < inputs; i++)
            {
                using (writer.OpenScope($"input {i}"))
                {
                    EmitInputStep(writer, segments, rows, inputs, weightRow: weights, weightOffset: i * units, input: i.ToString());
                }
            }
        }
        else
        {
            using (writer.Open(decoderHead ? "for (int i = inputStart; i < inputEnd; i++)" : $"for (int i = 0; i < {inputs}; i++)"))
            {
                writer.Line($"ref float wi = ref Unsafe.Add(ref {weights}, {KernelText.Times("i", units)});");
                EmitInputStep(writer, segments, rows, inputs, weightRow: "wi", weightOffset: 0, input: "i");
            }
        }

        for (int r = 0; r < rows; r++)
        {
            foreach ((Segment segment, int s) in segments.Select((segment, s) => (segment, s)))
            {
                string value = KernelText.FusedActivation(layer.Activation, segment.Kind, $"acc{r}_{s}");
                writer.Line(segment.Kind.Store(value, outputs, (r * units) + segment.Offset));
            }
        }
    }

    /// <summary>One input's contribution: load the weight registers of row i, broadcast each sample's input i, multiply-add.</summary>
    private static void EmitInputStep(CodeWriter writer, IReadOnlyList<Segment> segments, int rows, int inputs, string weightRow, int weightOffset, string input)
    {
        for (int s = 0; s < segments.Count; s++)
        {
            writer.Line($"var w{s} = {segments[s].Kind.Load(weightRow, weightOffset + segments[s].Offset)};");
        }

        var vectorKinds = segments.Select(segment => segment.Kind).Where(kind => !kind.IsScalar).Distinct().ToList();
        for (int r = 0; r < rows; r++)
        {
            string offset = KernelText.Plus(input, r * inputs);
            writer.Line($"float x{r} = {(offset == "0" ? "xn" : $"Unsafe.Add(ref xn, {offset})")};");
            foreach (VectorKind kind in vectorKinds)
            {
                writer.Line($"var x{r}_{kind.Suffix} = {kind.Broadcast($"x{r}")};");
            }

            for (int s = 0; s < segments.Count; s++)
            {
                VectorKind kind = segments[s].Kind;
                string broadcast = kind.IsScalar ? $"x{r}" : $"x{r}_{kind.Suffix}";
                writer.Line(kind.MultiplyAdd($"acc{r}_{s}", broadcast, $"w{s}"));
            }
        }
    }
}
