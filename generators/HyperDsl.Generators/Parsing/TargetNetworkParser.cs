using System.Collections.Generic;
using System.Linq;
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
        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            // Attention across a set or across chunks is a hypernetwork's; a network's samples are independent.
            string? name = attribute.AttributeClass?.ToDisplayString();
            if (name is HyperNetworkParser.SetAttentionAttributeName or HyperNetworkParser.SelfAttentionAttributeName)
            {
                parse.Error(
                    name == HyperNetworkParser.SetAttentionAttributeName ? DiagnosticDescriptors.SetAttentionWithoutEncoder : DiagnosticDescriptors.SelfAttentionWithoutChunks,
                    LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken)),
                    parse.DisplayName);
                return new ParseResult<NetworkSpec>(null, parse.Diagnostics);
            }
        }

        (ShapeSpec input, List<LayerSpec>? layers, List<AttributeSyntax?> syntaxes) = ReadArchitecture(parse, context.Attributes[0]);
        if (parse.Valid && layers is not null && TargetLayout.TryCreate(input, layers, out string? overflowing) is null)
        {
            parse.Error(DiagnosticDescriptors.NetworkTooLarge, null, parse.DisplayName, overflowing!);
        }

        if (parse.Valid && layers is not null && layers[layers.Count - 1] is { Activation: ActivationKind.Relu, Residual: false })
        {
            parse.Warn(
                DiagnosticDescriptors.OutputRelu,
                LocationInfo.From(AttributeArguments.ConstructorArgumentSyntax(syntaxes[syntaxes.Count - 1], 1, "activation")),
                parse.DisplayName);
        }

        NetworkSpec? spec = parse.Valid && layers is not null
            ? new NetworkSpec(type, input, layers.ToEquatableArray())
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
        (ShapeSpec input, List<LayerSpec>? layers, _) = ReadArchitecture(parse, attribute);
        if (!parse.Valid || layers is null || TargetLayout.TryCreate(input, layers, out _) is null)
        {
            return null;
        }

        var name = new TypeDeclarationSpec(string.Empty, EquatableArray<ContainingTypeSpec>.Empty, "class", DeclarationParser.QualifiedName(symbol), string.Empty);
        return new NetworkSpec(name, input, layers.ToEquatableArray());
    }

    private static (ShapeSpec Input, List<LayerSpec>? Layers, List<AttributeSyntax?> Syntaxes) ReadArchitecture(ParseContext parse, AttributeData target)
    {
        var targetSyntax = target.ApplicationSyntaxReference?.GetSyntax(parse.CancellationToken) as AttributeSyntax;
        ShapeSpec? input = ReadInput(parse, target, targetSyntax);
        if (input is null)
        {
            return (ShapeSpec.Vector(1), null, new List<AttributeSyntax?>());
        }

        List<LayerSpec>? layers = LayerParser.Parse(parse, input.Value, requireOne: true, decoderBody: false, out List<AttributeSyntax?> syntaxes);
        return (input.Value, layers, syntaxes);
    }

    /// <summary>
    /// The input's shape: <c>inputs</c> features, or an image of Channels × Height × Width; null (reported) when it is
    /// neither, both, or not positive.
    /// </summary>
    private static ShapeSpec? ReadInput(ParseContext parse, AttributeData target, AttributeSyntax? syntax)
    {
        if (!AttributeArguments.TryGetNamedInt(target, "Channels", out int channels)
            || !AttributeArguments.TryGetNamedInt(target, "Height", out int height)
            || !AttributeArguments.TryGetNamedInt(target, "Width", out int width))
        {
            parse.Invalid();
            return null;
        }

        bool image = target.NamedArguments.Any(pair => pair.Key is "Channels" or "Height" or "Width");
        if (target.ConstructorArguments.Length == 1)
        {
            if (!AttributeArguments.TryGetInt(target, 0, out int inputs))
            {
                // A malformed argument is already a compiler error; say nothing more.
                parse.Invalid();
                return null;
            }

            if (image)
            {
                parse.Error(DiagnosticDescriptors.InputShapeInvalid, LocationInfo.From(syntax), parse.DisplayName, "declares both inputs and an image shape");
                return null;
            }

            if (inputs < 1)
            {
                parse.Error(
                    DiagnosticDescriptors.InputsNotPositive,
                    LocationInfo.From(AttributeArguments.ConstructorArgumentSyntax(syntax, 0, "inputs")),
                    parse.DisplayName,
                    inputs);
                return null;
            }

            return ShapeSpec.Vector(inputs);
        }

        if (target.AttributeConstructor is null)
        {
            parse.Invalid();
            return null;
        }

        if (!image)
        {
            parse.Error(DiagnosticDescriptors.InputShapeInvalid, LocationInfo.From(syntax), parse.DisplayName, "declares no input");
            return null;
        }

        if (channels < 1 || height < 1 || width < 1)
        {
            parse.Error(DiagnosticDescriptors.InputShapeInvalid, LocationInfo.From(syntax), parse.DisplayName, $"declares an image of {channels}×{height}×{width}");
            return null;
        }

        if ((long)channels * height * width > int.MaxValue)
        {
            parse.Error(DiagnosticDescriptors.NetworkTooLarge, LocationInfo.From(syntax), parse.DisplayName, "input size");
            return null;
        }

        return ShapeSpec.Image(channels, height, width);
    }
}
