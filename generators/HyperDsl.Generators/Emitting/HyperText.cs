using System.Collections.Generic;
using HyperDsl.Generators.Model;

namespace HyperDsl.Generators.Emitting;

/// <summary>Descriptions of a hypernetwork shared by its file's header comment and its generated Summary.</summary>
internal static class HyperText
{
    /// <summary>The target class as the user writes it, without <c>global::</c>.</summary>
    public static string TargetName(HyperNetworkSpec spec) => spec.Target.Declaration.Name.Replace("global::", string.Empty);

    /// <summary>An attention block's shape for tables: <c>set × 32, 4 heads, ff 64</c>.</summary>
    public static string AttentionShape(HyperNetworkSpec spec, AttentionSpec block) => $"set × {spec.EncodingSize}, {block.Heads} heads, ff {block.FeedForward}";

    /// <summary>A block across chunk tokens for tables: <c>22 chunks × 64, 4 heads, ff 64</c>.</summary>
    public static string ChunkAttentionShape(HyperNetworkSpec spec, HyperLayout layout, AttentionSpec block) => $"{layout.ChunkCount} chunks × {spec.ChunkTokenWidth}, {block.Heads} heads, ff {block.FeedForward}";

    /// <summary>The encoder class as the user writes it, without <c>global::</c>.</summary>
    public static string EncoderName(HyperNetworkSpec spec) => spec.Encoder!.Declaration.Name.Replace("global::", string.Empty);

    /// <summary>What z is made of: a learned embedding, a condition vector, a support set's encoding, in that order.</summary>
    public static string Conditioning(HyperNetworkSpec spec)
    {
        var parts = new List<string>();
        if (spec.Tasks > 0)
        {
            parts.Add($"a learned embedding per task ({spec.Tasks} tasks × {spec.EmbeddingSize})");
        }

        if (spec.ConditionSize > 0)
        {
            parts.Add($"a condition vector of {spec.ConditionSize} given per task");
        }

        if (spec.Encoder is not null)
        {
            string blocks = spec.SetAttention.Count switch
            {
                0 => string.Empty,
                1 => " after an attention block across the set",
                _ => $" after {spec.SetAttention.Count} attention blocks across the set",
            };
            parts.Add($"the mean over the task's support pairs [x ; y] of {EncoderName(spec)}([x ; y]){blocks} ({spec.EncodingSize})");
        }

        return string.Join(" ; ", parts);
    }

    /// <summary>
    /// What the decoder generates: "the 1761" parameters, or "1600 of the 1761" when some layers are shared.
    /// </summary>
    /// <param name="layout">The hypernetwork's layout.</param>
    /// <param name="count">How a count is written (the Summary groups digits).</param>
    public static string GeneratedPart(HyperLayout layout, System.Func<int, string>? count = null)
    {
        count ??= value => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return layout.SharedLength > 0
            ? $"{count(layout.GeneratedParameterCount)} of the {count(layout.Target.ParameterCount)}"
            : $"the {count(layout.Target.ParameterCount)}";
    }

    /// <summary>The names of the target's shared layers with parameters, comma-separated.</summary>
    public static string SharedLayerNames(HyperLayout layout)
    {
        var names = new List<string>();
        foreach ((LayerSlice layer, int _) in layout.SharedLayers)
        {
            names.Add(layer.Name);
        }

        return string.Join(", ", names);
    }
}
