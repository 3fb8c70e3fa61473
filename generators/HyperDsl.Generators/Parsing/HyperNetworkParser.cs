using System.Collections.Generic;
using System.Linq;
using System.Threading;
using HyperDsl.Generators.Diagnostics;
using HyperDsl.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HyperDsl.Generators.Parsing;

/// <summary>Turns a class carrying <c>[HyperNetwork(typeof(Target))]</c> into a <see cref="HyperNetworkSpec"/> and diagnostics.</summary>
internal static class HyperNetworkParser
{
    public const string HyperNetworkAttributeName = "HyperDsl.HyperNetworkAttribute";

    public static ParseResult<HyperNetworkSpec> Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol symbol || context.TargetNode is not TypeDeclarationSyntax declaration)
        {
            return ParseResult<HyperNetworkSpec>.Nothing;
        }

        // Twice is CS0579; with [TargetNetwork] too, the target network's parser reports HD0013.
        if (DeclarationParser.CountAttributes(symbol, HyperNetworkAttributeName) != 1
            || context.Attributes.Length != 1
            || DeclarationParser.CountAttributes(symbol, TargetNetworkParser.TargetNetworkAttributeName) > 0)
        {
            return ParseResult<HyperNetworkSpec>.Nothing;
        }

        var parse = new ParseContext(symbol, declaration, cancellationToken);
        TypeDeclarationSpec type = DeclarationParser.Read(parse, GeneratedMembers.OfHyperNetwork);
        AttributeData attribute = context.Attributes[0];
        var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;

        NetworkSpec? target = ReadTarget(parse, attribute, syntax);
        if (symbol.IsRecord)
        {
            parse.Error(DiagnosticDescriptors.HyperNetworkIsRecord, null, parse.DisplayName);
        }
        else if (symbol.BaseType is { SpecialType: not SpecialType.System_Object } baseType && symbol.TypeKind == TypeKind.Class)
        {
            // The generated part names HyperNetworkModel<T> as the base; any other declared base conflicts with it.
            parse.Error(
                DiagnosticDescriptors.HyperNetworkHasBaseClass,
                LocationInfo.From(declaration.BaseList?.Types.FirstOrDefault()),
                parse.DisplayName,
                baseType.ToDisplayString(),
                target?.Declaration.Name.Replace("global::", string.Empty) ?? "T");
        }
        int tasks = ReadSize(parse, attribute, syntax, "Tasks");
        int embeddingSize = ReadSize(parse, attribute, syntax, "EmbeddingSize");
        int conditionSize = ReadSize(parse, attribute, syntax, "ConditionSize");
        int chunkSize = ReadSize(parse, attribute, syntax, "ChunkSize");
        int chunkEmbeddingSize = ReadSize(parse, attribute, syntax, "ChunkEmbeddingSize");

        RequireTogether(parse, syntax, "Tasks", tasks, "EmbeddingSize", embeddingSize, DiagnosticDescriptors.EmbeddingSettingsIncomplete);
        RequireTogether(parse, syntax, "ChunkSize", chunkSize, "ChunkEmbeddingSize", chunkEmbeddingSize, DiagnosticDescriptors.ChunkSettingsIncomplete);
        if (tasks == 0 && embeddingSize == 0 && conditionSize == 0)
        {
            parse.Error(DiagnosticDescriptors.NoConditioning, LocationInfo.From(syntax), parse.DisplayName);
        }

        int inputs = System.Math.Max(0, embeddingSize) + System.Math.Max(0, conditionSize) + System.Math.Max(0, chunkEmbeddingSize);
        List<LayerSpec>? body = LayerParser.Parse(parse, ShapeSpec.Vector(System.Math.Max(1, inputs)), requireOne: false, decoderBody: true, out _, HyperLayout.HeadName);
        if (!parse.Valid || target is null || body is null)
        {
            return new ParseResult<HyperNetworkSpec>(null, parse.Diagnostics);
        }

        if (!target.Layers.AsImmutableArray().Any(layer => layer.HasParameters && !layer.Shared))
        {
            parse.Error(DiagnosticDescriptors.NothingToGenerate, LocationInfo.From(syntax), parse.DisplayName, target.Declaration.Name.Replace("global::", string.Empty));
            return new ParseResult<HyperNetworkSpec>(null, parse.Diagnostics);
        }

        var spec = new HyperNetworkSpec(type, target, tasks, embeddingSize, conditionSize, chunkSize, chunkEmbeddingSize, body.ToEquatableArray());
        HyperLayout? layout = HyperLayout.TryCreate(spec, out string? overflowing);
        if (layout is null)
        {
            parse.Error(DiagnosticDescriptors.NetworkTooLarge, null, parse.DisplayName, overflowing!);
            return new ParseResult<HyperNetworkSpec>(null, parse.Diagnostics);
        }

        WarnAboutSizes(parse, syntax, layout);
        return new ParseResult<HyperNetworkSpec>(spec, parse.Diagnostics);
    }

    /// <summary>Legal but likely wrong: a full head far larger than the target, or a chunk larger than the target.</summary>
    private static void WarnAboutSizes(ParseContext parse, AttributeSyntax? syntax, HyperLayout layout)
    {
        // What the head produces: the parameters of the generated (not shared) layers.
        int targetParameters = layout.GeneratedParameterCount;
        LayerSlice head = layout.Decoder.Layers[layout.Decoder.Layers.Count - 1];
        long headParameters = (long)head.WeightsLength + head.BiasLength;
        if (!layout.IsChunked && headParameters > (long)DiagnosticDescriptors.HeadToTargetWarningFactor * targetParameters)
        {
            parse.Warn(DiagnosticDescriptors.HeadTooLarge, LocationInfo.From(syntax), parse.DisplayName, headParameters, headParameters / targetParameters, targetParameters);
        }

        if (layout.IsChunked && layout.Spec.ChunkSize > targetParameters)
        {
            parse.Warn(
                DiagnosticDescriptors.ChunkLargerThanTarget,
                LocationInfo.From(AttributeArguments.NamedArgumentSyntax(syntax, "ChunkSize")),
                parse.DisplayName,
                layout.Spec.ChunkSize,
                targetParameters,
                layout.Spec.ChunkSize - targetParameters);
        }
    }

    private static NetworkSpec? ReadTarget(ParseContext parse, AttributeData attribute, AttributeSyntax? syntax)
    {
        if (attribute.AttributeConstructor is null || attribute.ConstructorArguments.Length != 1)
        {
            parse.Invalid();
            return null;
        }

        TypedConstant argument = attribute.ConstructorArguments[0];
        LocationInfo? location = LocationInfo.From(AttributeArguments.ConstructorArgumentSyntax(syntax, 0, "target"));
        if (argument.Value is not INamedTypeSymbol targetType || targetType.TypeKind == TypeKind.Error)
        {
            string name = argument.Value is ITypeSymbol unresolved ? unresolved.ToDisplayString() : argument.Value?.ToString() ?? "null";
            parse.Error(DiagnosticDescriptors.HyperTargetInvalid, location, parse.DisplayName, name);
            return null;
        }

        NetworkSpec? target = TargetNetworkParser.ReadTarget(targetType, parse.CancellationToken);
        if (target is null)
        {
            if (DeclarationParser.CountAttributes(targetType, TargetNetworkParser.TargetNetworkAttributeName) > 0)
            {
                // A target network with errors of its own: they are reported on it.
                parse.Invalid();
            }
            else
            {
                parse.Error(DiagnosticDescriptors.HyperTargetInvalid, location, parse.DisplayName, targetType.ToDisplayString());
            }
        }

        return target;
    }

    private static int ReadSize(ParseContext parse, AttributeData attribute, AttributeSyntax? syntax, string name)
    {
        if (!AttributeArguments.TryGetNamedInt(attribute, name, out int value))
        {
            parse.Invalid();
            return 0;
        }

        if (value < 0)
        {
            parse.Error(DiagnosticDescriptors.HyperSizeNegative, LocationInfo.From(AttributeArguments.NamedArgumentSyntax(syntax, name)), parse.DisplayName, name, value);
        }

        return value;
    }

    private static void RequireTogether(ParseContext parse, AttributeSyntax? syntax, string first, int firstValue, string second, int secondValue, DiagnosticDescriptor descriptor)
    {
        if ((firstValue > 0) == (secondValue > 0))
        {
            return;
        }

        (string given, string missing) = firstValue > 0 ? (first, second) : (second, first);
        parse.Error(descriptor, LocationInfo.From(AttributeArguments.NamedArgumentSyntax(syntax, given)), parse.DisplayName, given, missing);
    }
}
