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
    /// The input-gradient kernel of <paramref name="layer"/>. Over a <see cref="InputCoverage.Range"/> of inputs (a
    /// decoder's head) it writes only the columns of dx of the inputs [inputStart, inputEnd), for two threads to share.
    /// </summary>
    public static LayerKernel Kernel(LayerSlice layer, InputCoverage coverage)
    {
        return LayerKernel.Dense(layer, "input gradients", MethodName(layer), Parameters, Arguments, coverage, withBias: false, Emit);
    }

    private static void Emit(CodeWriter writer, LayerSlice layer, VectorTier tier, string name, string path, string parameters, bool inputRange)
    {
        int inputs = layer.Inputs;
        int units = layer.Units;
        string what = inputRange ? "dx[:, i] = g·Wᵀ[:, i] for the inputs i in [inputStart, inputEnd)" : "dx = g·Wᵀ";
        writer.Line($"/// <summary>{layer.Name} input gradients, {path}: {what} for <paramref name=\"rows\"/> samples (overwrites dx).</summary>");
        using (writer.Open($"private static void {name}({parameters})"))
        {
            writer.Line($"ref float w = ref Unsafe.Add(ref MemoryMarshal.GetReference(parameters), {layer.WeightsOffset}); // [{inputs} × {units}]");
            writer.Line($"ref float g = ref MemoryMarshal.GetReference(outputGradient); // [rows × {units}]");
            writer.Line($"ref float dx = ref MemoryMarshal.GetReference(inputGradient); // [rows × {inputs}]");
            if (tier.Full.IsScalar)
            {
                EmitScalar(writer, layer, inputRange);
                return;
            }

            writer.Line("int n = 0;");
            if (tier.InputGradientRows > 1)
            {
                writer.Line($"// {tier.InputGradientRows} samples at a time: each weight register is loaded once for all of them.");
                using (writer.Open($"for (; n <= rows - {tier.InputGradientRows}; n += {tier.InputGradientRows})"))
                {
                    EmitRows(writer, layer, tier, tier.InputGradientRows, inputRange);
                }
            }

            writer.Line("// The remaining samples one at a time.");
            using (writer.Open("for (; n < rows; n++)"))
            {
                EmitRows(writer, layer, tier, 1, inputRange);
            }
        }
    }

    /// <summary>The path without vectors: plain loops, one dot product at a time.</summary>
    private static void EmitScalar(CodeWriter writer, LayerSlice layer, bool inputRange)
    {
        using (writer.Open("for (int n = 0; n < rows; n++)"))
        {
            writer.Line($"ref float gn = ref Unsafe.Add(ref g, {KernelText.Times("n", layer.Units)});");
            writer.Line($"ref float dxn = ref Unsafe.Add(ref dx, {KernelText.Times("n", layer.Inputs)});");
            using (writer.Open(inputRange ? "for (int i = inputStart; i < inputEnd; i++)" : $"for (int i = 0; i < {layer.Inputs}; i++)"))
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

    private static void EmitRows(CodeWriter writer, LayerSlice layer, VectorTier tier, int rows, bool inputRange)
    {
        int inputs = layer.Inputs;
        int perTile = tier.InputsPerTile;
        writer.Line($"ref float gn = ref Unsafe.Add(ref g, {KernelText.Times("n", layer.Units)});");
        writer.Line($"ref float dxn = ref Unsafe.Add(ref dx, {KernelText.Times("n", inputs)});");
        if (inputRange)
        {
            TileLoops.InputRange(writer, perTile, "Inputs", (count, input) => EmitInputs(writer, layer, tier, rows, count, input));
        }
        else
        {
            TileLoops.Inputs(writer, inputs, perTile, "Inputs", (count, input) => EmitInputs(writer, layer, tier, rows, count, input));
        }
    }

    private static void EmitInputs(CodeWriter writer, LayerSlice layer, VectorTier tier, int rows, int count, string input)
    {
        int inputs = layer.Inputs;
        int units = layer.Units;
        VectorKind full = tier.Full;
        int fullCount = units / full.Lanes;
        string weights = KernelText.DeclareOffset(writer, "wi", "w", KernelText.Times(input, units));
        string inputGradients = KernelText.DeclareOffset(writer, "dxi", "dxn", input);

        var sums = new string[rows, count];
        if (fullCount > 0)
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
                writer.Line($"{VectorKind.Element(inputGradients, (r * inputs) + c)} = {sums[r, c]};");
            }
        }
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
