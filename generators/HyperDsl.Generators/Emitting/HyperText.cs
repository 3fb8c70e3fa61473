using System.Collections.Generic;
using HyperDsl.Generators.Model;

namespace HyperDsl.Generators.Emitting;

/// <summary>Descriptions of a hypernetwork shared by its file's header comment and its generated Summary.</summary>
internal static class HyperText
{
    /// <summary>The target class as the user writes it, without <c>global::</c>.</summary>
    public static string TargetName(HyperNetworkSpec spec) => spec.Target.Declaration.Name.Replace("global::", string.Empty);

    /// <summary>What z is made of: a learned embedding, a condition vector, or both.</summary>
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

        return string.Join(" ; ", parts);
    }
}
