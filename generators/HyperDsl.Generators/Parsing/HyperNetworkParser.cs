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
        int generatedOrder = ReadGeneratedOrder(parse, attribute, syntax);
        NetworkSpec? encoder = ReadEncoder(parse, attribute, syntax, target, out bool hasEncoder);

        RequireTogether(parse, syntax, "Tasks", tasks, "EmbeddingSize", embeddingSize, DiagnosticDescriptors.EmbeddingSettingsIncomplete);
        RequireTogether(parse, syntax, "ChunkSize", chunkSize, "ChunkEmbeddingSize", chunkEmbeddingSize, DiagnosticDescriptors.ChunkSettingsIncomplete);
        if (tasks == 0 && embeddingSize == 0 && conditionSize == 0 && !hasEncoder)
        {
            parse.Error(DiagnosticDescriptors.NoConditioning, LocationInfo.From(syntax), parse.DisplayName);
        }

        int encodingSize = encoder is null ? 0 : encoder.Layers[encoder.Layers.Count - 1].Units;
        int inputs = System.Math.Max(0, embeddingSize) + System.Math.Max(0, conditionSize) + encodingSize + System.Math.Max(0, chunkEmbeddingSize);
        List<LayerSpec>? body = LayerParser.Parse(parse, ShapeSpec.Vector(System.Math.Max(1, inputs)), requireOne: false, decoderBody: true, out _, HyperLayout.HeadName);
        if (!parse.Valid || target is null || body is null || (hasEncoder && encoder is null))
        {
            return new ParseResult<HyperNetworkSpec>(null, parse.Diagnostics);
        }

        if (!target.Layers.AsImmutableArray().Any(layer => layer.HasParameters && !layer.Shared))
        {
            parse.Error(DiagnosticDescriptors.NothingToGenerate, LocationInfo.From(syntax), parse.DisplayName, target.Declaration.Name.Replace("global::", string.Empty));
            return new ParseResult<HyperNetworkSpec>(null, parse.Diagnostics);
        }

        List<AttentionSpec>? attention = ReadAttention(parse, SetAttentionAttributeName, "SetAttention", encoder is null ? 0 : encoder.Layers[encoder.Layers.Count - 1].Units, () => encoder is null ? DiagnosticDescriptors.SetAttentionWithoutEncoder : null);
        List<AttentionSpec>? chunkAttention = attention is null ? null : ReadAttention(
            parse,
            SelfAttentionAttributeName,
            "SelfAttention",
            body.Count == 0 ? 0 : body[body.Count - 1].Units,
            () => chunkSize == 0 ? DiagnosticDescriptors.SelfAttentionWithoutChunks : body.Count == 0 ? DiagnosticDescriptors.SelfAttentionWithoutBody : null);
        if (attention is null || chunkAttention is null)
        {
            return new ParseResult<HyperNetworkSpec>(null, parse.Diagnostics);
        }

        var spec = new HyperNetworkSpec(type, target, tasks, embeddingSize, conditionSize, chunkSize, chunkEmbeddingSize, body.ToEquatableArray(), encoder, attention.ToEquatableArray(), chunkAttention.ToEquatableArray(), generatedOrder);
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

        LocationInfo? location = LocationInfo.From(AttributeArguments.ConstructorArgumentSyntax(syntax, 0, "target"));
        return ReadNetwork(parse, attribute.ConstructorArguments[0], location, DiagnosticDescriptors.HyperTargetInvalid, out _);
    }

    /// <summary>
    /// The [TargetNetwork] class a typeof argument names, or null: a type that is not one is reported with
    /// <paramref name="notANetwork"/>; a target network with errors of its own is reported on itself.
    /// </summary>
    private static NetworkSpec? ReadNetwork(ParseContext parse, TypedConstant argument, LocationInfo? location, DiagnosticDescriptor notANetwork, out INamedTypeSymbol? type)
    {
        type = argument.Value as INamedTypeSymbol;
        if (argument.Kind == TypedConstantKind.Error || type is null || type.TypeKind == TypeKind.Error)
        {
            string name = argument.Value is ITypeSymbol unresolved ? unresolved.ToDisplayString() : argument.Value?.ToString() ?? "null";
            parse.Error(notANetwork, location, parse.DisplayName, name);
            return null;
        }

        NetworkSpec? network = TargetNetworkParser.ReadTarget(type, parse.CancellationToken);
        if (network is null)
        {
            if (DeclarationParser.CountAttributes(type, TargetNetworkParser.TargetNetworkAttributeName) > 0)
            {
                // A network with errors of its own: they are reported on it.
                parse.Invalid();
            }
            else
            {
                parse.Error(notANetwork, location, parse.DisplayName, type.ToDisplayString());
            }
        }

        return network;
    }

    /// <summary>
    /// The task encoder named by <c>Encoder = typeof(E)</c>, or null: E must be a valid target network over one support
    /// pair [x ; y] of the target (a vector of its inputs and outputs together), with no Shared layer.
    /// </summary>
    private static NetworkSpec? ReadEncoder(ParseContext parse, AttributeData attribute, AttributeSyntax? syntax, NetworkSpec? target, out bool present)
    {
        present = false;
        TypedConstant? argument = null;
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == "Encoder")
            {
                argument = pair.Value;
            }
        }

        if (argument is not { } value || value.Value is null)
        {
            return null;
        }

        present = true;
        LocationInfo? location = LocationInfo.From(AttributeArguments.NamedArgumentSyntax(syntax, "Encoder"));
        NetworkSpec? encoder = ReadNetwork(parse, value, location, DiagnosticDescriptors.EncoderInvalid, out INamedTypeSymbol? encoderType);
        if (encoder is null)
        {
            return null;
        }

        string encoderName = encoderType!.ToDisplayString();
        foreach (LayerSpec layer in encoder.Layers)
        {
            if (layer.Shared)
            {
                parse.Error(DiagnosticDescriptors.EncoderLayerShared, location, encoderName, layer.Name);
                return null;
            }
        }

        if (target is not null)
        {
            int inputs = target.InputSize;
            int outputs = target.Layers[target.Layers.Count - 1].Units;
            if (encoder.Input.IsImage || encoder.InputSize != inputs + outputs)
            {
                parse.Error(
                    DiagnosticDescriptors.EncoderInputMismatch,
                    location,
                    parse.DisplayName,
                    encoderName,
                    encoder.Input.IsImage ? $"images of {encoder.Input}" : $"{encoder.InputSize} floats",
                    target.Declaration.Name.Replace("global::", string.Empty),
                    inputs,
                    outputs,
                    inputs + outputs);
                return null;
            }
        }

        return encoder;
    }

    public const string SetAttentionAttributeName = "HyperDsl.SetAttentionAttribute";

    public const string SelfAttentionAttributeName = "HyperDsl.SelfAttentionAttribute";

    /// <summary>
    /// The attention blocks one attribute declares, in source order, or null when one is invalid: each needs what
    /// <paramref name="missing"/> asks for (it returns the diagnostic to report, or null), positive sizes, and heads
    /// that split the tokens' <paramref name="width"/> evenly.
    /// </summary>
    private static List<AttentionSpec>? ReadAttention(ParseContext parse, string attributeName, string prefix, int width, System.Func<DiagnosticDescriptor?> missing)
    {
        var blocks = new List<AttentionSpec>();
        foreach (AttributeData attribute in parse.Symbol.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() != attributeName)
            {
                continue;
            }

            var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(parse.CancellationToken) as AttributeSyntax;
            if (!AttributeArguments.TryGetInt(attribute, 0, out int heads) || !AttributeArguments.TryGetInt(attribute, 1, out int feedForward)
                || !AttributeArguments.TryGetNamedString(attribute, "Name", out string? name, out _))
            {
                parse.Invalid();
                return null;
            }

            if (missing() is { } descriptor)
            {
                parse.Error(descriptor, LocationInfo.From(syntax), parse.DisplayName);
                return null;
            }

            if (heads < 1 || feedForward < 1)
            {
                parse.Error(DiagnosticDescriptors.SetAttentionSizeInvalid, LocationInfo.From(syntax), parse.DisplayName, heads, feedForward);
                return null;
            }

            if (width % heads != 0)
            {
                parse.Error(DiagnosticDescriptors.SetAttentionHeadsDoNotDivide, LocationInfo.From(AttributeArguments.ConstructorArgumentSyntax(syntax, 0, "heads")), parse.DisplayName, heads, width);
                return null;
            }

            name ??= prefix + blocks.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsValidIdentifier(name))
            {
                parse.Error(DiagnosticDescriptors.LayerNameInvalid, LocationInfo.From(AttributeArguments.NamedArgumentSyntax(syntax, "Name")), name, parse.DisplayName);
                return null;
            }

            blocks.Add(new AttentionSpec(name, heads, feedForward));
        }

        return blocks;
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

    /// <summary>GeneratedOrder's value: a member of ParameterOrder (0 when absent).</summary>
    private static int ReadGeneratedOrder(ParseContext parse, AttributeData attribute, AttributeSyntax? syntax)
    {
        if (!AttributeArguments.TryGetNamedInt(attribute, "GeneratedOrder", out int value))
        {
            parse.Invalid();
            return 0;
        }

        if (value is not (0 or HyperNetworkSpec.PyTorchOrder))
        {
            parse.Error(DiagnosticDescriptors.GeneratedOrderUndefined, LocationInfo.From(AttributeArguments.NamedArgumentSyntax(syntax, "GeneratedOrder")), parse.DisplayName, value);
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
