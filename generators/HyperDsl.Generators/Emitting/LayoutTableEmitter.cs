using System.Collections.Generic;
using System.Linq;
using HyperDsl.Generators.Model;

namespace HyperDsl.Generators.Emitting;

/// <summary>Writes the layout tables that open every generated file, as comments.</summary>
internal static class LayoutTableEmitter
{
    /// <summary>A dense network's parameters (offsets relative to <paramref name="offset"/>) and its workspace.</summary>
    public static void EmitNetwork(CodeWriter writer, TargetLayout layout, int offset = 0)
    {
        var rows = new List<string[]> { new[] { "layer", "shape", "activation", "weights", "bias" } };
        foreach (LayerSlice layer in layout.Layers)
        {
            rows.Add(new[]
            {
                layer.Name,
                KernelText.Shape(layer),
                layer.Activation.ToString(),
                Range(offset + layer.WeightsOffset, layer.WeightsLength),
                Range(offset + layer.BiasOffset, layer.BiasLength),
            });
        }

        WriteTable(writer, rows);
    }

    /// <summary>What the forward pass keeps in the workspace, per sample.</summary>
    public static void EmitWorkspace(CodeWriter writer, TargetLayout layout)
    {
        var regions = new List<string[]> { new[] { "layer", "keeps", "offset" } };
        foreach (LayerSlice layer in layout.Layers)
        {
            if (layer.KeepsPreActivations)
            {
                regions.Add(new[] { layer.Name, "z = x·W + b", Range(layer.PreActivationSlot, layer.Units) });
            }

            if (layer.KeepsActivations)
            {
                regions.Add(new[] { layer.Name, layer.IsLast ? "f(z), copied to the outputs" : "f(z)", Range(layer.ActivationSlot, layer.Units) });
            }
            else if (layer.IsLast)
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
