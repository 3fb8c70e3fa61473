using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using HyperDsl.Generators.Diagnostics;
using HyperDsl.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HyperDsl.Generators.Parsing;

/// <summary>
/// Turns a class carrying <c>[TargetNetwork]</c> into a <see cref="NetworkSpec"/> and diagnostics. The only code that
/// touches symbols and syntax; nothing it returns refers to them.
/// </summary>
internal static class TargetNetworkParser
{
    public const string TargetNetworkAttributeName = "HyperDsl.TargetNetworkAttribute";
    public const string DenseAttributeName = "HyperDsl.DenseAttribute";

    /// <summary>Cheap syntactic filter: the attribute applies to classes (and record classes) only.</summary>
    public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken)
        => node is ClassDeclarationSyntax or RecordDeclarationSyntax { ClassOrStructKeyword.RawKind: not (int)SyntaxKind.StructKeyword };

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol symbol || context.TargetNode is not TypeDeclarationSyntax declaration)
        {
            return ParseResult.Nothing;
        }

        // [TargetNetwork] twice (on two partial declarations) is the compiler's CS0579; generating twice would collide.
        int targetAttributes = symbol.GetAttributes().Count(a => a.AttributeClass?.ToDisplayString() == TargetNetworkAttributeName);
        if (targetAttributes != 1 || context.Attributes.Length != 1)
        {
            return ParseResult.Nothing;
        }

        var diagnostics = new List<DiagnosticInfo>();
        string displayName = symbol.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
        LocationInfo? identifier = LocationInfo.From(declaration.Identifier);
        bool valid = CheckDeclarationShape(symbol, declaration, displayName, identifier, diagnostics, cancellationToken);

        AttributeData target = context.Attributes[0];
        var targetSyntax = target.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        if (!AttributeArguments.TryGetInt(target, 0, out int inputs))
        {
            // A malformed argument is already a compiler error; say nothing more.
            valid = false;
        }
        else if (inputs < 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.InputsNotPositive,
                LocationInfo.From(AttributeArguments.ConstructorArgumentSyntax(targetSyntax, 0, "inputs")),
                displayName,
                inputs));
            valid = false;
        }

        List<LayerSpec>? layers = ParseLayers(symbol, displayName, identifier, Math.Max(inputs, 1), diagnostics, cancellationToken);
        valid &= layers is not null;

        if (valid && layers is not null && TargetLayout.TryCreate(inputs, layers, out string? overflowing) is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkTooLarge, identifier, displayName, overflowing!));
            valid = false;
        }

        NetworkSpec? spec = valid && layers is not null
            ? new NetworkSpec(
                NamespaceOf(symbol),
                ContainingTypes(declaration),
                symbol.IsStatic ? "static " : string.Empty,
                declaration is RecordDeclarationSyntax ? "record" : "class",
                Identifiers.Escape(symbol.Name),
                inputs,
                layers.ToEquatableArray(),
                HintName(symbol))
            : null;
        return new ParseResult(spec, diagnostics.ToEquatableArray());
    }

    private static bool CheckDeclarationShape(
        INamedTypeSymbol symbol,
        TypeDeclarationSyntax declaration,
        string displayName,
        LocationInfo? identifier,
        List<DiagnosticInfo> diagnostics,
        CancellationToken cancellationToken)
    {
        bool valid = true;
        bool partialEverywhere = symbol.DeclaringSyntaxReferences
            .Select(reference => reference.GetSyntax(cancellationToken))
            .All(node => node is TypeDeclarationSyntax type && type.Modifiers.Any(SyntaxKind.PartialKeyword));
        if (!partialEverywhere)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkNotPartial, identifier, displayName));
            valid = false;
        }

        for (SyntaxNode? parent = declaration.Parent; parent is TypeDeclarationSyntax container; parent = parent.Parent)
        {
            if (!container.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.ContainingTypeNotPartial,
                    LocationInfo.From(container.Identifier),
                    displayName,
                    container.Identifier.ValueText));
                valid = false;
            }
        }

        if (symbol.TypeParameters.Length > 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkIsGeneric, identifier, displayName));
            valid = false;
        }

        return valid;
    }

    /// <summary>Reads the [Dense] attributes in source order; null when any of them is invalid.</summary>
    private static List<LayerSpec>? ParseLayers(
        INamedTypeSymbol symbol,
        string displayName,
        LocationInfo? identifier,
        int inputs,
        List<DiagnosticInfo> diagnostics,
        CancellationToken cancellationToken)
    {
        var applications = new List<(AttributeData Data, AttributeSyntax? Syntax)>();
        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == DenseAttributeName)
            {
                applications.Add((attribute, attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax));
            }
        }

        if (applications.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayers, identifier, displayName));
            return null;
        }

        // The order of layers is the order of the attributes in the one declaration that holds them.
        var owners = applications.Select(a => a.Syntax?.Parent?.Parent).Distinct().ToList();
        if (owners.Count > 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayersSplitAcrossDeclarations, identifier, displayName));
            return null;
        }

        applications.Sort((a, b) => (a.Syntax?.SpanStart ?? 0).CompareTo(b.Syntax?.SpanStart ?? 0));

        bool valid = true;
        var layers = new List<LayerSpec>(applications.Count);
        var names = new HashSet<string>();
        int layerInputs = inputs;
        for (int index = 0; index < applications.Count; index++)
        {
            (AttributeData data, AttributeSyntax? syntax) = applications[index];
            if (!AttributeArguments.TryGetInt(data, 0, out int units) || !AttributeArguments.TryGetInt(data, 1, out int activation))
            {
                valid = false;
                continue;
            }

            string defaultName = "Dense" + index;
            if (units < 1)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.UnitsNotPositive,
                    LocationInfo.From(AttributeArguments.ConstructorArgumentSyntax(syntax, 0, "units")),
                    index,
                    displayName,
                    units));
                valid = false;
            }

            if (activation < 0 || activation >= ActivationKindExtensions.Count)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.ActivationUndefined,
                    LocationInfo.From(AttributeArguments.ConstructorArgumentSyntax(syntax, 1, "activation")),
                    index,
                    displayName,
                    activation));
                valid = false;
            }

            if (!AttributeArguments.TryGetNamedString(data, "Name", out string? name, out bool named))
            {
                valid = false;
                continue;
            }

            string layerName = named && name is not null ? name : defaultName;
            if (!SyntaxFacts.IsValidIdentifier(layerName))
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.LayerNameInvalid,
                    LocationInfo.From(AttributeArguments.NamedArgumentSyntax(syntax, "Name")),
                    layerName,
                    displayName));
                valid = false;
            }
            else if (!names.Add(layerName))
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.LayerNameDuplicate,
                    LocationInfo.From(named ? AttributeArguments.NamedArgumentSyntax(syntax, "Name") : syntax),
                    layerName,
                    displayName));
                valid = false;
            }

            layers.Add(new LayerSpec(layerName, layerInputs, units, (ActivationKind)activation));
            layerInputs = units < 1 ? 1 : units;
        }

        return valid ? layers : null;
    }

    /// <summary>
    /// The namespace and the metadata names of the type and its containers (<c>Demo.Outer+Holder`1+Net.g.cs</c>): no two
    /// types share it, since a backtick or plus cannot appear in an identifier. Types that the compiler reports as
    /// duplicates of each other still get different names, by their position among their namesakes (<c>Net+1</c>:
    /// no nested type can be called 1).
    /// </summary>
    private static string HintName(INamedTypeSymbol symbol)
    {
        var names = new List<string>();
        for (INamedTypeSymbol? type = symbol; type is not null; type = type.ContainingType)
        {
            names.Insert(0, type.MetadataName);
        }

        string ns = NamespaceOf(symbol);
        string name = (ns.Length == 0 ? string.Empty : ns + ".") + string.Join("+", names);
        var namesakes = symbol.ContainingSymbol is INamespaceOrTypeSymbol container
            ? container.GetTypeMembers(symbol.Name, symbol.Arity)
            : default;
        if (namesakes.Length > 1)
        {
            for (int position = 0; position < namesakes.Length; position++)
            {
                if (SymbolEqualityComparer.Default.Equals(namesakes[position], symbol))
                {
                    name += "+" + position;
                    break;
                }
            }
        }

        return name + ".g.cs";
    }

    private static string NamespaceOf(INamedTypeSymbol symbol)
        => symbol.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : string.Empty;

    private static EquatableArray<ContainingTypeSpec> ContainingTypes(TypeDeclarationSyntax declaration)
    {
        var types = new List<ContainingTypeSpec>();
        for (SyntaxNode? parent = declaration.Parent; parent is TypeDeclarationSyntax container; parent = parent.Parent)
        {
            string keyword = container switch
            {
                RecordDeclarationSyntax record when record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "record struct",
                RecordDeclarationSyntax => "record",
                StructDeclarationSyntax => "struct",
                InterfaceDeclarationSyntax => "interface",
                _ => "class",
            };
            string modifiers = container.Modifiers.Any(SyntaxKind.StaticKeyword) ? "static " : string.Empty;
            types.Insert(0, new ContainingTypeSpec(modifiers, keyword, Identifiers.Escape(container.Identifier.ValueText) + container.TypeParameterList?.ToString()));
        }

        return types.ToEquatableArray();
    }
}
