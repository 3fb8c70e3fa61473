using System.Collections.Generic;
using System.Threading;
using HyperDsl.Generators.Diagnostics;
using HyperDsl.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HyperDsl.Generators.Parsing;

/// <summary>
/// Turns a class carrying <c>[TargetNetwork]</c> into a <see cref="NetworkSpec"/> and diagnostics. Parsing is the only
/// stage that touches symbols and syntax; nothing it returns refers to them.
/// </summary>
internal static class TargetNetworkParser
{
    public const string TargetNetworkAttributeName = "HyperDsl.TargetNetworkAttribute";

    public static ParseResult<NetworkSpec> Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol symbol || context.TargetNode is not TypeDeclarationSyntax declaration)
        {
            return ParseResult<NetworkSpec>.Nothing;
        }

        // [TargetNetwork] twice (on two partial declarations) is the compiler's CS0579; generating twice would collide.
        if (DeclarationParser.CountAttributes(symbol, TargetNetworkAttributeName) != 1 || context.Attributes.Length != 1)
        {
            return ParseResult<NetworkSpec>.Nothing;
        }

        var parse = new ParseContext(symbol, declaration, cancellationToken);
        if (DeclarationParser.CountAttributes(symbol, HyperNetworkParser.HyperNetworkAttributeName) > 0)
        {
            parse.Error(DiagnosticDescriptors.TargetAndHyperNetwork, null, parse.DisplayName);
            return new ParseResult<NetworkSpec>(null, parse.Diagnostics);
        }

        TypeDeclarationSpec type = DeclarationParser.Read(parse, GeneratedMembers.OfTargetNetwork);
        (int inputs, List<LayerSpec>? layers, List<AttributeSyntax?> syntaxes) = ReadArchitecture(parse, context.Attributes[0]);
        if (parse.Valid && layers is not null && TargetLayout.TryCreate(inputs, layers, out string? overflowing) is null)
        {
            parse.Error(DiagnosticDescriptors.NetworkTooLarge, null, parse.DisplayName, overflowing!);
        }

        if (parse.Valid && layers is not null && layers[layers.Count - 1].Activation == ActivationKind.Relu)
        {
            parse.Warn(
                DiagnosticDescriptors.OutputRelu,
                LocationInfo.From(AttributeArguments.ConstructorArgumentSyntax(syntaxes[syntaxes.Count - 1], 1, "activation")),
                parse.DisplayName);
        }

        NetworkSpec? spec = parse.Valid && layers is not null
            ? new NetworkSpec(type, inputs, layers.ToEquatableArray())
            : null;
        return new ParseResult<NetworkSpec>(spec, parse.Diagnostics);
    }

    /// <summary>
    /// Reads the architecture of a target network that a hypernetwork names, in source or in a referenced assembly; null
    /// when it is not a valid target network (its own declaration reports why).
    /// </summary>
    public static NetworkSpec? ReadTarget(INamedTypeSymbol symbol, CancellationToken cancellationToken)
    {
        AttributeData? attribute = null;
        foreach (AttributeData candidate in symbol.GetAttributes())
        {
            if (candidate.AttributeClass?.ToDisplayString() == TargetNetworkAttributeName)
            {
                if (attribute is not null)
                {
                    return null;
                }

                attribute = candidate;
            }
        }

        if (attribute is null || symbol.TypeParameters.Length > 0 || symbol.IsStatic)
        {
            return null;
        }

        var parse = new ParseContext(symbol, declaration: null, cancellationToken);
        (int inputs, List<LayerSpec>? layers, _) = ReadArchitecture(parse, attribute);
        if (!parse.Valid || layers is null || TargetLayout.TryCreate(inputs, layers, out _) is null)
        {
            return null;
        }

        var name = new TypeDeclarationSpec(string.Empty, EquatableArray<ContainingTypeSpec>.Empty, "class", DeclarationParser.QualifiedName(symbol), string.Empty);
        return new NetworkSpec(name, inputs, layers.ToEquatableArray());
    }

    private static (int Inputs, List<LayerSpec>? Layers, List<AttributeSyntax?> Syntaxes) ReadArchitecture(ParseContext parse, AttributeData target)
    {
        var targetSyntax = target.ApplicationSyntaxReference?.GetSyntax(parse.CancellationToken) as AttributeSyntax;
        if (!AttributeArguments.TryGetInt(target, 0, out int inputs))
        {
            // A malformed argument is already a compiler error; say nothing more.
            parse.Invalid();
        }
        else if (inputs < 1)
        {
            parse.Error(
                DiagnosticDescriptors.InputsNotPositive,
                LocationInfo.From(AttributeArguments.ConstructorArgumentSyntax(targetSyntax, 0, "inputs")),
                parse.DisplayName,
                inputs);
        }

        List<LayerSpec>? layers = LayerParser.Parse(parse, inputs < 1 ? 1 : inputs, requireOne: true, out List<AttributeSyntax?> syntaxes);
        return (inputs, layers, syntaxes);
    }
}
