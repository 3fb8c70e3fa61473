using System.Collections.Generic;
using System.Linq;
using HyperDsl.Generators.Model;

namespace HyperDsl.Generators.Emitting;

/// <summary>Writes the comment that opens every generated file: the parameter and workspace layout as tables.</summary>
internal static class LayoutTableEmitter
{
    public static void Emit(CodeWriter writer, NetworkSpec spec, TargetLayout layout)
    {
        writer.Line($"// HyperDsl target network {spec.FullName}: {layout.InputSize} -> {layout.OutputSize}, {layout.ParameterCount} parameters.");
        writer.Line("//");
        writer.Line("// Parameters: one flat float vector; each layer's weights, input-major (W[i * units + o]), then its bias.");
        var rows = new List<string[]> { new[] { "layer", "shape", "activation", "weights", "bias" } };
        foreach (LayerSlice layer in layout.Layers)
        {
            rows.Add(new[]
            {
                layer.Name,
                KernelText.Shape(layer),
                layer.Activation.ToString(),
                Range(layer.WeightsOffset, layer.WeightsLength),
                Range(layer.BiasOffset, layer.BiasLength),
            });
        }

        WriteTable(writer, rows);
        writer.Line("//");
        writer.Line($"// Workspace: {layout.WorkspacePerSample} floats per sample. Each region holds batch × units floats and starts at batch × its offset.");
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
        writer.Line("//");
        writer.Line("// Every kernel exists for Vector512, Vector256, Vector128 and scalars; a check that the JIT folds to a constant");
        writer.Line("// runs the widest path the CPU accelerates. Backward carries the gradients of a tile of");
        writer.Line($"// {layout.BackwardTileRows} samples at a time through the layers.");
    }

    private static string Range(int offset, int length) => $"[{offset}, {offset + length})";

    private static void WriteTable(CodeWriter writer, List<string[]> rows)
    {
        int columns = rows[0].Length;
        int[] widths = Enumerable.Range(0, columns).Select(c => rows.Max(row => row[c].Length)).ToArray();
        foreach (string[] row in rows)
        {
            string line = string.Join("  ", row.Select((cell, c) => c == columns - 1 ? cell : cell.PadRight(widths[c])));
            writer.Line("//   " + line.TrimEnd());
        }
    }
}
