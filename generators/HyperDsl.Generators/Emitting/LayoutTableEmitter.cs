using System.Collections.Generic;
using System.Linq;
using HyperDsl.Generators.Model;

namespace HyperDsl.Generators.Emitting;

/// <summary>Writes the layout tables that open every generated file, as comments.</summary>
internal static class LayoutTableEmitter
{
    /// <summary>
    /// A network's parameters (offsets relative to <paramref name="offset"/>): each layer's shape, activation, and the
    /// ranges of its weights and bias; with a "kind" column when the network has layers other than Dense.
    /// </summary>
    public static void EmitNetwork(CodeWriter writer, TargetLayout layout, int offset = 0)
    {
        bool kinds = layout.Layers.Any(layer => layer.Kind != LayerKindSpec.Dense);
        var rows = new List<string[]> { kinds ? new[] { "layer", "kind", "shape", "activation", "weights", "bias" } : new[] { "layer", "shape", "activation", "weights", "bias" } };
        foreach (LayerSlice layer in layout.Layers)
        {
            var row = new List<string> { layer.Name };
            if (kinds)
            {
                row.Add(KernelText.Kind(layer));
            }

            row.Add(KernelText.Shape(layer));
            row.Add(layer.Activation.ToString());
            row.Add(layer.Spec.HasParameters ? Range(offset + layer.WeightsOffset, layer.WeightsLength) : "-");
            row.Add(layer.Spec.HasParameters ? Range(offset + layer.BiasOffset, layer.BiasLength) : "-");
            rows.Add(row.ToArray());
        }

        WriteTable(writer, rows);
    }

    /// <summary>What the forward pass keeps in the workspace, per sample.</summary>
    public static void EmitWorkspace(CodeWriter writer, TargetLayout layout)
    {
        var regions = new List<string[]> { new[] { "layer", "keeps", "offset" } };
        if (layout.InputSlot >= 0)
        {
            regions.Add(new[] { "input", "the input images, NHWC", Range(layout.InputSlot, layout.InputSize) });
        }

        foreach (LayerSlice layer in layout.Layers)
        {
            if (layer.ColumnsSlot >= 0)
            {
                regions.Add(new[] { layer.Name, "each output pixel's window, as a row", Range(layer.ColumnsSlot, layer.Spec.OutputPixels * layer.Spec.ConvolutionTaps) });
            }

            if (layer.KeepsPreActivations)
            {
                regions.Add(new[] { layer.Name, "z = x·W + b", Range(layer.PreActivationSlot, layer.Units) });
            }

            if (layer.KeepsActivations)
            {
                string what = layer.Kind == LayerKindSpec.LayerNorm ? "x̂, the normalised input" : layer.IsLast && !layer.KeepsOutput && !layer.Residual ? "f(z), copied to the outputs" : "f(z)";
                regions.Add(new[] { layer.Name, what, Range(layer.ActivationSlot, layer.Units) });
            }

            if (layer.StatisticsSlot >= 0)
            {
                regions.Add(new[] { layer.Name, "1/σ per sample", Range(layer.StatisticsSlot, 1) });
            }

            if (layer.KeepsOutput && layer.OutputSlot != layer.ActivationSlot)
            {
                regions.Add(new[] { layer.Name, layer.Spec.Output.IsImage ? "the output, NHWC" : "the output", Range(layer.OutputSlot, layer.Units) });
            }
            else if (layer.IsLast && !layer.KeepsActivations && !layer.KeepsOutput)
            {
                regions.Add(new[] { layer.Name, "nothing: writes the outputs", "-" });
            }
        }

        WriteTable(writer, regions);
    }

    public static string Range(int offset, int length) => $"[{offset}, {offset + length})";

    /// <summary>Rows of cells as an aligned comment table; the first row is the header.</summary>
    public static void WriteTable(CodeWriter writer, List<string[]> rows)
    {
        foreach (string line in AlignTable(rows))
        {
            writer.Line("//   " + line);
        }
    }

    /// <summary>Rows of cells as lines of text, each column padded to its widest cell.</summary>
    public static IEnumerable<string> AlignTable(List<string[]> rows)
    {
        int columns = rows[0].Length;
        int[] widths = Enumerable.Range(0, columns).Select(c => rows.Max(row => row[c].Length)).ToArray();
        return rows.Select(row => string.Join("  ", row.Select((cell, c) => c == columns - 1 ? cell : cell.PadRight(widths[c]))).TrimEnd());
    }
}
