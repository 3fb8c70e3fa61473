using System.Collections.Generic;
using System.Linq;
using HyperDsl.Generators.Diagnostics;
using HyperDsl.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HyperDsl.Generators.Parsing;

/// <summary>Checks that a network class can receive generated members, and records where it is declared.</summary>
internal static class DeclarationParser
{
    /// <summary>Cheap syntactic filter: the network attributes apply to classes (and record classes) only.</summary>
    public static bool IsCandidate(SyntaxNode node, System.Threading.CancellationToken cancellationToken)
        => node is ClassDeclarationSyntax or RecordDeclarationSyntax { ClassOrStructKeyword.RawKind: not (int)SyntaxKind.StructKeyword };

    /// <summary>True when <paramref name="symbol"/> carries the attribute <paramref name="metadataName"/>.</summary>
    public static int CountAttributes(INamedTypeSymbol symbol, string metadataName)
        => symbol.GetAttributes().Count(a => a.AttributeClass?.ToDisplayString() == metadataName);

    public static TypeDeclarationSpec Read(ParseContext context, string[] generatedMembers)
    {
        INamedTypeSymbol symbol = context.Symbol;
        TypeDeclarationSyntax declaration = context.Declaration!;
        bool partialEverywhere = symbol.DeclaringSyntaxReferences
            .Select(reference => reference.GetSyntax(context.CancellationToken))
            .All(node => node is TypeDeclarationSyntax type && type.Modifiers.Any(SyntaxKind.PartialKeyword));
        if (!partialEverywhere)
        {
            context.Error(DiagnosticDescriptors.NetworkNotPartial, null, context.DisplayName);
        }

        for (SyntaxNode? parent = declaration.Parent; parent is TypeDeclarationSyntax container; parent = parent.Parent)
        {
            if (!container.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                context.Error(
                    DiagnosticDescriptors.ContainingTypeNotPartial,
                    LocationInfo.From(container.Identifier),
                    context.DisplayName,
                    container.Identifier.ValueText);
            }
        }

        if (symbol.TypeParameters.Length > 0)
        {
            context.Error(DiagnosticDescriptors.NetworkIsGeneric, null, context.DisplayName);
        }

        if (symbol.IsStatic)
        {
            context.Error(DiagnosticDescriptors.NetworkIsStatic, null, context.DisplayName);
        }

        if (generatedMembers.Contains(symbol.Name))
        {
            context.Error(DiagnosticDescriptors.NameClashesWithGeneratedMember, null, context.DisplayName, symbol.Name);
        }

        return new TypeDeclarationSpec(
            NamespaceOf(symbol),
            ContainingTypes(declaration),
            declaration is RecordDeclarationSyntax ? "record" : "class",
            Identifiers.Escape(symbol.Name),
            HintName(symbol));
    }

    /// <summary>The type as generated code names it: <c>global::Namespace.Outer.Name</c>.</summary>
    public static string QualifiedName(INamedTypeSymbol symbol) => symbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    private static string NamespaceOf(INamedTypeSymbol symbol)
        => symbol.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : string.Empty;

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
