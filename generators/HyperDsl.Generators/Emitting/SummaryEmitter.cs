using System.Collections.Generic;
using System.Linq;
using System.Globalization;
using HyperDsl.Generators.Model;

namespace HyperDsl.Generators.Emitting;

/// <summary>
/// The text of a network's generated <c>Summary</c>, in the manner of Keras' <c>model.summary()</c>: each layer's shape,
/// activation, parameter count and offsets, and the totals.
/// </summary>
internal static class SummaryEmitter
{
    public static List<string> Target(string name, TargetLayout layout)
    {
        var lines = new List<string>
        {
            $"{name} (target network): {Side(layout.Input, "input")} -> {Side(layout.Output, "output")}",
        };
        bool kinds = layout.Layers.Any(layer => layer.Kind != LayerKindSpec.Dense);
        var rows = new List<string[]> { kinds ? KindHeader : Header };
        AddLayers(rows, layout, 0, kinds);
        lines.AddRange(LayoutTableEmitter.AlignTable(rows));
        lines.Add($"Total parameters: {Count(layout.ParameterCount)}");
        return lines;
    }

    public static List<string> Hyper(HyperNetworkSpec spec, HyperLayout layout)
    {
        TargetLayout target = layout.Target;
        string targetName = HyperText.TargetName(spec);
        var lines = new List<string>
        {
            $"{spec.Declaration.PlainName} (hypernetwork): generates {HyperText.GeneratedPart(layout, Count)} parameters of {targetName} ({target.InputSize} -> {target.OutputSize})",
        };
        if (layout.SharedLength > 0)
        {
            lines.Add($"Generated: {string.Join(", ", target.Layers.Where(l => l.Spec.HasParameters && !l.Spec.Shared).Select(l => l.Name))}; shared, learned in θ: {HyperText.SharedLayerNames(layout)}");
        }

        lines.Add($"Conditioning: z = {HyperText.Conditioning(spec)}");
        int dropped = layout.DroppedOutputs;
        lines.Add(layout.IsChunked
            ? $"Chunking: {layout.ChunkCount} head calls of {spec.ChunkSize} parameters per task, from [z ; chunk embedding of {spec.ChunkEmbeddingSize}]"
              + (dropped > 0 ? $"; the last {dropped} outputs are dropped" : string.Empty)
            : "Chunking: none; the head emits all of W in one call per task");
        if (spec.InPyTorchOrder)
        {
            lines.Add("Generated order: PyTorch's, each tensor row-major in torch.nn's shape (Linear.weight [out, in])");
        }

        var rows = new List<string[]> { Header };
        if (layout.EmbeddingsLength > 0)
        {
            rows.Add(new[] { "task embeddings", $"[{spec.Tasks} × {spec.EmbeddingSize}]", "-", Count(layout.EmbeddingsLength), LayoutTableEmitter.Range(0, layout.EmbeddingsLength) });
        }

        AddLayers(rows, layout.Decoder, layout.DecoderOffset, kinds: false);
        if (layout.IsChunked)
        {
            rows.Add(new[] { "chunk embeddings", $"[{layout.ChunkCount} × {spec.ChunkEmbeddingSize}]", "-", Count(layout.ChunkEmbeddingsLength), LayoutTableEmitter.Range(layout.ChunkEmbeddingsOffset, layout.ChunkEmbeddingsLength) });
        }

        foreach ((LayerSlice layer, int offset) in layout.SharedLayers)
        {
            int length = layer.WeightsLength + layer.BiasLength;
            rows.Add(new[] { "shared " + layer.Name, KernelText.Shape(layer), layer.Activation.ToString(), Count(length), LayoutTableEmitter.Range(offset, length) });
        }

        foreach (LayerSlice layer in layout.Encoder?.Layers ?? new List<LayerSlice>())
        {
            int length = layer.WeightsLength + layer.BiasLength;
            if (length > 0)
            {
                rows.Add(new[] { "encoder " + layer.Name, KernelText.Shape(layer), layer.Activation.ToString(), Count(length), LayoutTableEmitter.Range(layout.EncoderOffset + layer.WeightsOffset, length) });
            }
        }

        foreach ((AttentionSpec block, int offset, int length) in layout.SetAttentionBlocks)
        {
            rows.Add(new[] { "encoder " + block.Name, HyperText.AttentionShape(spec, block), "-", Count(length), LayoutTableEmitter.Range(layout.EncoderOffset + offset, length) });
        }

        foreach ((AttentionSpec block, int offset, int length) in layout.ChunkAttentionBlocks)
        {
            rows.Add(new[] { block.Name, HyperText.ChunkAttentionShape(spec, layout, block), "-", Count(length), LayoutTableEmitter.Range(layout.ChunkAttentionOffset + offset, length) });
        }

        lines.AddRange(LayoutTableEmitter.AlignTable(rows));
        double ratio = (double)layout.ParameterCount / target.ParameterCount;
        lines.Add($"Total parameters: {Count(layout.ParameterCount)}, {ratio.ToString("0.###", CultureInfo.InvariantCulture)} × the target's {Count(target.ParameterCount)}");
        return lines;
    }

    /// <summary>The <c>Summary</c> property: one string literal per line, joined by the compiler into a constant.</summary>
    public static void EmitProperty(CodeWriter writer, List<string> lines, string what)
    {
        writer.Line($"/// <summary>");
        writer.Line($"/// A summary of {what}, like Keras' <c>model.summary()</c>:");
        writer.Line("/// each layer's shape, activation, parameter count and offsets, and the totals; lines end with '\\n'.");
        writer.Line("/// </summary>");
        writer.Line(TargetNetworkEmitter.GeneratedCodeAttribute);
        writer.Line($"public static string {GeneratedMembers.Summary} =>");
        writer.Push();
        for (int i = 0; i < lines.Count; i++)
        {
            writer.Line($"\"{lines[i]}\\n\"{(i == lines.Count - 1 ? ";" : " +")}");
        }

        writer.Pop();
    }

    private static readonly string[] Header = { "Layer", "Shape", "Activation", "Parameters", "Offsets" };

    private static readonly string[] KindHeader = { "Layer", "Kind", "Shape", "Activation", "Parameters", "Offsets" };

    private static void AddLayers(List<string[]> rows, TargetLayout layout, int offset, bool kinds)
    {
        foreach (LayerSlice layer in layout.Layers)
        {
            var row = new List<string> { layer.Name };
            if (kinds)
            {
                row.Add(KernelText.Kind(layer));
            }

            row.Add(KernelText.Shape(layer));
            row.Add(layer.Activation.ToString());
            row.Add(Count(layer.WeightsLength + layer.BiasLength));
            row.Add(layer.Spec.HasParameters ? LayoutTableEmitter.Range(offset + layer.WeightsOffset, layer.WeightsLength + layer.BiasLength) : "-");
            rows.Add(row.ToArray());
        }
    }

    /// <summary>A network's input or output: <c>1 input</c>, <c>10 outputs</c>, or <c>1×28×28 input</c> for an image.</summary>
    private static string Side(ShapeSpec shape, string noun) => shape.IsImage ? $"{shape} {noun}" : Plural(shape.Size, noun);

    private static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Plural(int count, string noun) => $"{count} {noun}{(count == 1 ? string.Empty : "s")}";
}
