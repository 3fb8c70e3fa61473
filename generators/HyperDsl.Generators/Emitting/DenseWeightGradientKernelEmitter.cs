using System;
using System.Collections.Generic;
using System.Linq;
using HyperDsl.Generators.Model;

namespace HyperDsl.Generators.Emitting;

/// <summary>
/// Emits a dense layer's parameter-gradient kernel on one path: <c>dW += xᵀ·g</c> and <c>db += Σₙ g[n, :]</c> over a
/// tile of samples. A micro-tile holds a few rows of dW × a block of columns in registers while it runs over the
/// samples, then adds them to dW once — the kernel adds to the gradients, as the contract says; a decoder's head,
/// whose kernel sees every row at once, writes them instead.
/// </summary>
internal static class DenseWeightGradientKernelEmitter
{
    public static string MethodName(LayerSlice layer) => layer.Name + "WeightGradient";

    private const string Parameters = "ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> parameterGradients, int rows";

    private const string Arguments = "input, outputGradient, parameterGradients, rows";

    /// <summary>
    /// The parameter-gradient kernel of <paramref name="layer"/>: dW += xᵀ·g, db += Σ g. As a
    /// <see cref="DenseKernelRole.DecoderHead"/> it writes (rather than adds to) only the rows of dW of the inputs
    /// [inputStart, inputEnd), and db when <c>withBias</c>, so that two threads share the product without sharing a
    /// gradient, whichever of them owns the bias.
    /// </summary>
    public static LayerKernel Kernel(LayerSlice layer, DenseKernelRole role)
    {
        return LayerKernel.Dense(layer, "parameter gradients", MethodName(layer), Parameters, Arguments, role, withBias: true, Emit);
    }

    private static void Emit(CodeWriter writer, LayerSlice layer, VectorTier tier, string name, string path, string parameters, bool decoderHead)
    {
        int inputs = layer.Inputs;
        int units = layer.Units;
        int perTile = tier.InputsPerTile;
        var plan = ColumnPlan.Create(units, tier);
        string summary = decoderHead
            ? "dW[i, :] = xᵀ[i]·g for the inputs i in [inputStart, inputEnd), and db = Σ g when withBias, written (not added)"
            : "dW += xᵀ·g and db += Σ g";
        writer.Line($"/// <summary>{layer.Name} parameter gradients, {path}: {summary} over <paramref name=\"rows\"/> samples.</summary>");
        using (writer.Open($"private static void {name}({parameters})"))
        {
            writer.Line($"ref float x = ref MemoryMarshal.GetReference(input); // [rows × {inputs}]");
            writer.Line($"ref float g = ref MemoryMarshal.GetReference(outputGradient); // [rows × {units}]");
            writer.Line($"ref float dw = ref Unsafe.Add(ref MemoryMarshal.GetReference(parameterGradients), {layer.WeightsOffset}); // [{inputs} × {units}]");
            writer.Line($"ref float db = ref Unsafe.Add(ref MemoryMarshal.GetReference(parameterGradients), {layer.BiasOffset}); // [{units}]");
            if (tier.Full.IsScalar)
            {
                EmitScalar(writer, layer, decoderHead);
                return;
            }

            writer.Line(decoderHead
                ? $"// dW[i, :] = Σₙ x[n, i]·g[n, :] over every row at once, {perTile} rows of dW at a time."
                : $"// dW[i, :] += Σₙ x[n, i]·g[n, :], {perTile} rows of dW at a time.");
            Action<int, string> emitRows = (count, row) =>
                TileLoops.Columns(writer, plan, (block, column) => EmitWeightBlock(writer, layer, block, count, row, column, decoderHead));
            if (decoderHead)
            {
                TileLoops.InputRange(writer, perTile, "Rows", emitRows);
                writer.Line("// db = Σₙ g[n, :], by the part that owns the bias.");
                using (writer.Open("if (withBias)"))
                {
                    TileLoops.Columns(writer, plan, (block, column) => EmitBiasBlock(writer, units, block, column, decoderHead));
                }
            }
            else
            {
                TileLoops.Inputs(writer, inputs, perTile, "Rows", emitRows);
                writer.Line("// db += Σₙ g[n, :].");
                TileLoops.Columns(writer, plan, (block, column) => EmitBiasBlock(writer, units, block, column, decoderHead));
            }
        }
    }

    /// <summary>The path without vectors: plain loops, each sample's outer product added in turn (to rows first cleared, for a head).</summary>
    private static void EmitScalar(CodeWriter writer, LayerSlice layer, bool decoderHead)
    {
        if (decoderHead)
        {
            writer.Line("// The head's gradient is written: its rows (and its bias, if this part owns it) start from 0.");
            writer.Line($"MemoryMarshal.CreateSpan(ref Unsafe.Add(ref dw, {KernelText.Times("inputStart", layer.Units)}), {KernelText.Times("(inputEnd - inputStart)", layer.Units)}).Clear();");
            using (writer.Open("if (withBias)"))
            {
                writer.Line($"MemoryMarshal.CreateSpan(ref db, {layer.Units}).Clear();");
            }
        }

        using (writer.Open("for (int n = 0; n < rows; n++)"))
        {
            writer.Line($"ref float xn = ref Unsafe.Add(ref x, {KernelText.Times("n", layer.Inputs)});");
            writer.Line($"ref float gn = ref Unsafe.Add(ref g, {KernelText.Times("n", layer.Units)});");
            using (writer.Open(decoderHead ? "for (int i = inputStart; i < inputEnd; i++)" : $"for (int i = 0; i < {layer.Inputs}; i++)"))
            {
                writer.Line("float xi = Unsafe.Add(ref xn, i);");
                writer.Line($"ref float dwi = ref Unsafe.Add(ref dw, {KernelText.Times("i", layer.Units)});");
                using (writer.Open($"for (int o = 0; o < {layer.Units}; o++)"))
                {
                    writer.Line("Unsafe.Add(ref dwi, o) += xi * Unsafe.Add(ref gn, o);");
                }
            }

            if (decoderHead)
            {
                using (writer.Open("if (withBias)"))
                {
                    EmitScalarBias(writer, layer);
                }
            }
            else
            {
                EmitScalarBias(writer, layer);
            }
        }
    }

    private static void EmitScalarBias(CodeWriter writer, LayerSlice layer)
    {
        using (writer.Open($"for (int o = 0; o < {layer.Units}; o++)"))
        {
            writer.Line("Unsafe.Add(ref db, o) += Unsafe.Add(ref gn, o);");
        }
    }

    private static void EmitWeightBlock(CodeWriter writer, LayerSlice layer, ColumnBlock block, int count, string row, string column, bool write)
    {
        int inputs = layer.Inputs;
        int units = layer.Units;
        IReadOnlyList<Segment> segments = block.Segments;
        string gradients = KernelText.DeclareOffset(writer, "gj", "g", column);
        for (int r = 0; r < count; r++)
        {
            writer.Line(string.Join(" ", Enumerable.Range(0, segments.Count).Select(s => $"var acc{r}_{s} = {segments[s].Kind.Zero};")));
        }

        using (writer.Open("for (int n = 0; n < rows; n++)"))
        {
            writer.Line($"ref float gn = ref Unsafe.Add(ref {gradients}, {KernelText.Times("n", units)});");
            string sampleOffset = KernelText.Times("n", inputs);
            writer.Line($"ref float xn = ref Unsafe.Add(ref x, {(row == "0" ? sampleOffset : $"{sampleOffset} + {row}")});");
            for (int s = 0; s < segments.Count; s++)
            {
                writer.Line($"var g{s} = {segments[s].Kind.Load("gn", segments[s].Offset)};");
            }

            var vectorKinds = segments.Select(segment => segment.Kind).Where(kind => !kind.IsScalar).Distinct().ToList();
            for (int r = 0; r < count; r++)
            {
                writer.Line($"float x{r} = {VectorKind.Element("xn", r)};");
                foreach (VectorKind kind in vectorKinds)
                {
                    writer.Line($"var x{r}_{kind.Suffix} = {kind.Broadcast($"x{r}")};");
                }

                for (int s = 0; s < segments.Count; s++)
                {
                    VectorKind kind = segments[s].Kind;
                    writer.Line(kind.MultiplyAdd($"acc{r}_{s}", kind.IsScalar ? $"x{r}" : $"x{r}_{kind.Suffix}", $"g{s}"));
                }
            }
        }

        string rowOffset = KernelText.Times(row, units);
        string blockOffset = rowOffset == "0" ? column : column == "0" ? rowOffset : $"{rowOffset} + {column}";
        string weightGradients = KernelText.DeclareOffset(writer, "dwj", "dw", blockOffset);
        for (int r = 0; r < count; r++)
        {
            for (int s = 0; s < segments.Count; s++)
            {
                VectorKind kind = segments[s].Kind;
                int offset = (r * units) + segments[s].Offset;
                writer.Line(write
                    ? kind.Store($"acc{r}_{s}", weightGradients, offset)
                    : kind.IsScalar
                        ? $"{VectorKind.Element(weightGradients, offset)} += acc{r}_{s};"
                        : kind.Store($"{kind.Load(weightGradients, offset)} + acc{r}_{s}", weightGradients, offset));
            }
        }
    }

    private static void EmitBiasBlock(CodeWriter writer, int units, ColumnBlock block, string column, bool write)
    {
        IReadOnlyList<Segment> segments = block.Segments;
        string gradients = KernelText.DeclareOffset(writer, "gj", "g", column);
        string biasGradients = KernelText.DeclareOffset(writer, "dbj", "db", column);
        writer.Line(string.Join(" ", Enumerable.Range(0, segments.Count).Select(s => $"var acc{s} = {segments[s].Kind.Zero};")));
        using (writer.Open("for (int n = 0; n < rows; n++)"))
        {
            writer.Line($"ref float gn = ref Unsafe.Add(ref {gradients}, {KernelText.Times("n", units)});");
            for (int s = 0; s < segments.Count; s++)
            {
                writer.Line($"acc{s} += {segments[s].Kind.Load("gn", segments[s].Offset)};");
            }
        }

        for (int s = 0; s < segments.Count; s++)
        {
            VectorKind kind = segments[s].Kind;
            int offset = segments[s].Offset;
            writer.Line(write
                ? kind.Store($"acc{s}", biasGradients, offset)
                : kind.IsScalar
                    ? $"{VectorKind.Element(biasGradients, offset)} += acc{s};"
                    : kind.Store($"{kind.Load(biasGradients, offset)} + acc{s}", biasGradients, offset));
        }
    }
}
