using System.Collections.Generic;
using System.Linq;
using HyperDsl.Generators.Diagnostics;
using HyperDsl.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HyperDsl.Generators.Parsing;

/// <summary>Reads a class's <c>[Dense]</c> attributes into layers, in source order.</summary>
internal static class LayerParser
{
    public const string DenseAttributeName = "HyperDsl.DenseAttribute";

    /// <summary>
    /// The layers, with each layer's input width chained from <paramref name="inputs"/>; null when there is none or any
    /// is invalid. <paramref name="reservedNames"/> are names the generated code uses for other parts.
    /// </summary>
    public static List<LayerSpec>? Parse(ParseContext context, int inputs, bool requireOne, params string[] reservedNames)
        => Parse(context, inputs, requireOne, out _, reservedNames);

    /// <summary>As above, and the attribute syntax of each layer, in the same order (null for a network from metadata).</summary>
    public static List<LayerSpec>? Parse(ParseContext context, int inputs, bool requireOne, out List<AttributeSyntax?> syntaxes, params string[] reservedNames)
    {
        syntaxes = new List<AttributeSyntax?>();
        var applications = new List<(AttributeData Data, AttributeSyntax? Syntax, int Index)>();
        foreach (AttributeData attribute in context.Symbol.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == DenseAttributeName)
            {
                applications.Add((attribute, attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) as AttributeSyntax, applications.Count));
            }
        }

        if (applications.Count == 0)
        {
            if (requireOne)
            {
                context.Error(DiagnosticDescriptors.NoLayers, null, context.DisplayName);
                return null;
            }

            return new List<LayerSpec>();
        }

        // The order of layers is the order of the attributes in the one declaration that holds them (metadata keeps
        // that order for a network compiled in another assembly).
        if (applications.Select(a => a.Syntax?.Parent?.Parent).Distinct().Count() > 1)
        {
            context.Error(DiagnosticDescriptors.LayersSplitAcrossDeclarations, null, context.DisplayName);
            return null;
        }

        applications = applications.OrderBy(a => a.Syntax?.SpanStart ?? 0).ThenBy(a => a.Index).ToList();
        syntaxes.AddRange(applications.Select(a => a.Syntax));

        bool valid = true;
        var layers = new List<LayerSpec>(applications.Count);
        var names = new HashSet<string>();
        int layerInputs = inputs;
        for (int index = 0; index < applications.Count; index++)
        {
            (AttributeData data, AttributeSyntax? syntax, _) = applications[index];
            if (!AttributeArguments.TryGetInt(data, 0, out int units)
                || !AttributeArguments.TryGetInt(data, 1, out int activation)
                || !AttributeArguments.TryGetNamedString(data, "Name", out string? name, out bool named))
            {
                context.Invalid();
                valid = false;
                continue;
            }

            if (units < 1)
            {
                context.Error(
                    DiagnosticDescriptors.UnitsNotPositive,
                    LocationInfo.From(AttributeArguments.ConstructorArgumentSyntax(syntax, 0, "units")),
                    index,
                    context.DisplayName,
                    units);
                valid = false;
            }

            if (activation < 0 || activation >= ActivationKindExtensions.Count)
            {
                context.Error(
                    DiagnosticDescriptors.ActivationUndefined,
                    LocationInfo.From(AttributeArguments.ConstructorArgumentSyntax(syntax, 1, "activation")),
                    index,
                    context.DisplayName,
                    activation);
                valid = false;
            }

            string layerName = named && name is not null ? name : "Dense" + index;
            if (!SyntaxFacts.IsValidIdentifier(layerName))
            {
                context.Error(
                    DiagnosticDescriptors.LayerNameInvalid,
                    LocationInfo.From(AttributeArguments.NamedArgumentSyntax(syntax, "Name")),
                    layerName,
                    context.DisplayName);
                valid = false;
            }
            else if (reservedNames.Contains(layerName))
            {
                context.Error(
                    DiagnosticDescriptors.LayerNameReserved,
                    LocationInfo.From(AttributeArguments.NamedArgumentSyntax(syntax, "Name")),
                    layerName,
                    context.DisplayName);
                valid = false;
            }
            else if (!names.Add(layerName))
            {
                context.Error(
                    DiagnosticDescriptors.LayerNameDuplicate,
                    LocationInfo.From(named ? AttributeArguments.NamedArgumentSyntax(syntax, "Name") : syntax),
                    layerName,
                    context.DisplayName);
                valid = false;
            }

            layers.Add(new LayerSpec(layerName, layerInputs, units, (ActivationKind)activation));
            layerInputs = units < 1 ? 1 : units;
        }

        return valid ? layers : null;
    }
}
