using System.Collections.Generic;
using System.Linq;
using HyperDsl.Generators.Model;

namespace HyperDsl.Generators.Emitting;

/// <summary>
/// Emits a dense layer's input-gradient kernel on one path: <c>dx[n, i] = Σⱼ g[n, j]·W[i, j]</c>, a dot product of
/// two contiguous rows. A micro-tile accumulates samples × inputs dot products in full registers, reduces each to a
/// float, and adds the columns that do not fill a full register with narrower ones and scalars.
/// </summary>
internal static class DenseInputGradientKernelEmitter
{
    public static string MethodName(LayerSlice layer) => layer.Name + "InputGradient";

    private const string Parameters = "ReadOnlySpan<float> parameters, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int rows";

    private const string Arguments = "parameters, outputGradient, inputGradient, rows";

    /// <summary>
    /// Columns per block of a wide layer's reduction: a block of the weight rows of a tile of inputs (4 × 256 floats)
    /// stays in L1, and of every input (up to a few hundred × 256 floats) in L2, while all samples pass over it.
    /// </summary>
    private const int ColumnBlockWidth = 256;

    /// <summary>
    /// The input-gradient kernel of <paramref name="layer"/>. As a <see cref="DenseKernelRole.DecoderHead"/> it writes only
    /// the columns of dx of the inputs [inputStart, inputEnd), for two threads to share.
    /// </summary>
    public static LayerKernel Kernel(LayerSlice layer, DenseKernelRole role)
    {
        return LayerKernel.Dense(layer, "input gradients", MethodName(layer), Parameters, Arguments, role, withBias: false, Emit);
    }

    private static void Emit(CodeWriter writer, LayerSlice layer, VectorTier tier, string name, string path, string parameters, bool decoderHead)
    {
        int inputs = layer.Inputs;
        int units = layer.Units;
        string what = decoderHead ? "dx[:, i] = g·Wᵀ[:, i] for the inputs i in [inputStart, inputEnd)" : "dx = g·Wᵀ";
        writer.Line($"/// <summary>{layer.Name} input gradients, {path}: {what} for <paramref name=\"rows\"/> samples (overwrites dx).</summary>");
        using (writer.Open($"private static void {name}({parameters})"))
        {
            writer.Line($"ref float w = ref Unsafe.Add(ref MemoryMarshal.GetReference(parameters), {layer.WeightsOffset}); // [{inputs} × {units}]");
            writer.Line($"ref float g = ref MemoryMarshal.GetReference(outputGradient); // [rows × {units}]");
            writer.Line($"ref float dx = ref MemoryMarshal.GetReference(inputGradient); // [rows × {inputs}]");
            if (tier.Full.IsScalar)
            {
                EmitScalar(writer, layer, decoderHead);
                return;
            }

            int fullEnd = units / tier.Full.Lanes * tier.Full.Lanes;
            if (fullEnd < 2 * ColumnBlockWidth)
            {
                EmitSampleTiles(writer, layer, tier, decoderHead, Reduction.WholeRow);
                return;
            }

            // A wide layer: the columns in blocks, so that a block of every weight row the kernel reads stays in cache
            // while all samples pass over it, instead of the whole of W streaming in once per tile of samples.
            writer.Line($"// Columns [0, {fullEnd}) in blocks of {ColumnBlockWidth}: a block of the weight rows stays in cache while every sample passes;");
            writer.Line("// the first block writes dx, the others add to it.");
            using (writer.Open($"for (int jb = 0; jb < {fullEnd}; jb += {ColumnBlockWidth})"))
            {
                writer.Line(fullEnd % ColumnBlockWidth == 0 ? $"int je = jb + {ColumnBlockWidth};" : $"int je = Math.Min(jb + {ColumnBlockWidth}, {fullEnd});");
                EmitSampleTiles(writer, layer, tier, decoderHead, Reduction.Block);
            }

            if (fullEnd < units)
            {
                using (writer.OpenScope($"columns [{fullEnd}, {units}), past the last full register, added to every dx"))
                {
                    EmitSampleTiles(writer, layer, tier, decoderHead, Reduction.Tail);
                }
            }
        }
    }

    /// <summary>The samples in tiles of the path's height, then one at a time.</summary>
    private static void EmitSampleTiles(CodeWriter writer, LayerSlice layer, VectorTier tier, bool decoderHead, Reduction reduction)
    {
        writer.Line("int n = 0;");
        if (tier.InputGradientRows > 1)
        {
            writer.Line($"// {tier.InputGradientRows} samples at a time: each weight register is loaded once for all of them.");
            using (writer.Open($"for (; n <= rows - {tier.InputGradientRows}; n += {tier.InputGradientRows})"))
            {
                EmitRows(writer, layer, tier, tier.InputGradientRows, decoderHead, reduction);
            }
        }

        writer.Line("// The remaining samples one at a time.");
        using (writer.Open("for (; n < rows; n++)"))
        {
            EmitRows(writer, layer, tier, 1, decoderHead, reduction);
        }
    }

    /// <summary>The path without vectors: plain loops, one dot product at a time.</summary>
    private static void EmitScalar(CodeWriter writer, LayerSlice layer, bool decoderHead)
    {
        using (writer.Open("for (int n = 0; n < rows; n++)"))
        {
            writer.Line($"ref float gn = ref Unsafe.Add(ref g, {KernelText.Times("n", layer.Units)});");
            writer.Line($"ref float dxn = ref Unsafe.Add(ref dx, {KernelText.Times("n", layer.Inputs)});");
            using (writer.Open(decoderHead ? "for (int i = inputStart; i < inputEnd; i++)" : $"for (int i = 0; i < {layer.Inputs}; i++)"))
            {
                writer.Line($"ref float wi = ref Unsafe.Add(ref w, {KernelText.Times("i", layer.Units)});");
                writer.Line("float acc = 0f;");
                using (writer.Open($"for (int o = 0; o < {layer.Units}; o++)"))
                {
                    writer.Line("acc += Unsafe.Add(ref gn, o) * Unsafe.Add(ref wi, o);");
                }

                writer.Line("Unsafe.Add(ref dxn, i) = acc;");
            }
        }
    }

    private static void EmitRows(CodeWriter writer, LayerSlice layer, VectorTier tier, int rows, bool decoderHead, Reduction reduction)
    {
        int inputs = layer.Inputs;
        int perTile = tier.InputsPerTile;
        writer.Line($"ref float gn = ref Unsafe.Add(ref g, {KernelText.Times("n", layer.Units)});");
        writer.Line($"ref float dxn = ref Unsafe.Add(ref dx, {KernelText.Times("n", inputs)});");
        if (decoderHead)
        {
            TileLoops.InputRange(writer, perTile, "Inputs", (count, input) => EmitInputs(writer, layer, tier, rows, count, input, reduction));
        }
        else
        {
            TileLoops.Inputs(writer, inputs, perTile, "Inputs", (count, input) => EmitInputs(writer, layer, tier, rows, count, input, reduction));
        }
    }

    private static void EmitInputs(CodeWriter writer, LayerSlice layer, VectorTier tier, int rows, int count, string input, Reduction reduction)
    {
        int inputs = layer.Inputs;
        int units = layer.Units;
        VectorKind full = tier.Full;
        int fullCount = units / full.Lanes;
        string weights = KernelText.DeclareOffset(writer, "wi", "w", KernelText.Times(input, units));
        string inputGradients = KernelText.DeclareOffset(writer, "dxi", "dxn", input);

        var sums = new string[rows, count];
        if (reduction == Reduction.Block)
        {
            for (int r = 0; r < rows; r++)
            {
                writer.Line(string.Join(" ", Enumerable.Range(0, count).Select(c => $"var acc{r}_{c} = {full.Zero};")));
            }

            using (writer.Open($"for (int j = jb; j < je; j += {full.Lanes})"))
            {
                writer.Line("ref float gj = ref Unsafe.Add(ref gn, j);");
                writer.Line($"ref float wj = ref Unsafe.Add(ref {weights}, j);");
                EmitReductionStep(writer, full, rows, count, units, "gj", "wj", 0);
            }

            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < count; c++)
                {
                    string element = VectorKind.Element(inputGradients, (r * inputs) + c);
                    writer.Line($"{element} = (jb == 0 ? 0f : {element}) + {full.Sum($"acc{r}_{c}")};");
                }
            }

            return;
        }

        if (fullCount > 0 && reduction == Reduction.WholeRow)
        {
            for (int r = 0; r < rows; r++)
            {
                writer.Line(string.Join(" ", Enumerable.Range(0, count).Select(c => $"var acc{r}_{c} = {full.Zero};")));
            }

            if (fullCount <= KernelText.UnrolledReductionVectors)
            {
                for (int k = 0; k < fullCount; k++)
                {
                    using (writer.OpenScope($"columns [{k * full.Lanes}, {(k + 1) * full.Lanes})"))
                    {
                        EmitReductionStep(writer, full, rows, count, units, "gn", weights, k * full.Lanes);
                    }
                }
            }
            else
            {
                using (writer.Open($"for (int j = 0; j < {fullCount * full.Lanes}; j += {full.Lanes})"))
                {
                    writer.Line("ref float gj = ref Unsafe.Add(ref gn, j);");
                    writer.Line($"ref float wj = ref Unsafe.Add(ref {weights}, j);");
                    EmitReductionStep(writer, full, rows, count, units, "gj", "wj", 0);
                }
            }

            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < count; c++)
                {
                    sums[r, c] = full.Sum($"acc{r}_{c}");
                }
            }
        }

        // The columns past the last full register: one narrower register of each width that fits, then scalars.
        var tail = new List<Segment>();
        int column = fullCount * full.Lanes;
        foreach (VectorKind kind in tier.Narrower)
        {
            if (units - column >= kind.Lanes)
            {
                tail.Add(new Segment(column, kind));
                column += kind.Lanes;
            }
        }

        for (; column < units; column++)
        {
            tail.Add(new Segment(column, VectorKind.Scalar));
        }

        for (int t = 0; t < tail.Count; t++)
        {
            Segment segment = tail[t];
            for (int r = 0; r < rows; r++)
            {
                writer.Line($"var g{r}_t{t} = {segment.Kind.Load("gn", (r * units) + segment.Offset)};");
            }

            for (int c = 0; c < count; c++)
            {
                writer.Line($"var w{c}_t{t} = {segment.Kind.Load(weights, (c * units) + segment.Offset)};");
            }

            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < count; c++)
                {
                    string term = segment.Kind.Sum($"g{r}_t{t} * w{c}_t{t}");
                    sums[r, c] = sums[r, c] is null ? term : $"{sums[r, c]} + {term}";
                }
            }
        }

        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < count; c++)
            {
                writer.Line(reduction == Reduction.Tail
                    ? $"{VectorKind.Element(inputGradients, (r * inputs) + c)} += {sums[r, c]};"
                    : $"{VectorKind.Element(inputGradients, (r * inputs) + c)} = {sums[r, c]};");
            }
        }
    }

    /// <summary>Which columns a tile's dot products cover, and how they reach dx.</summary>
    private enum Reduction
    {
        /// <summary>Every column: dx is written.</summary>
        WholeRow,

        /// <summary>The full registers of columns [jb, je): dx is written by the first block, added to by the others.</summary>
        Block,

        /// <summary>The columns past the last full register: added to dx.</summary>
        Tail,
    }

    private static void EmitReductionStep(CodeWriter writer, VectorKind kind, int rows, int count, int units, string gradientRow, string weightRow, int offset)
    {
        for (int r = 0; r < rows; r++)
        {
            writer.Line($"var g{r} = {kind.Load(gradientRow, (r * units) + offset)};");
        }

        for (int c = 0; c < count; c++)
        {
            writer.Line($"var w{c} = {kind.Load(weightRow, (c * units) + offset)};");
        }

        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < count; c++)
            {
                writer.Line(kind.MultiplyAdd($"acc{r}_{c}", $"g{r}", $"w{c}"));
            }
        }
    }
}
