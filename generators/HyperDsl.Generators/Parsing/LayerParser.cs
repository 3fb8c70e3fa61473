using System;
using System.Collections.Generic;
using System.Linq;
using HyperDsl.Generators.Diagnostics;
using HyperDsl.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HyperDsl.Generators.Parsing;

/// <summary>
/// Reads a class's layer attributes into layers, in source order, each layer's input shape chained from the one
/// before, and reports every layer that cannot be built where it was written.
/// </summary>
internal static class LayerParser
{
    public const string DenseAttributeName = "HyperDsl.DenseAttribute";

    /// <summary>Each layer attribute, the kind it declares, and the prefix of its default name.</summary>
    private static readonly Dictionary<string, (LayerKindSpec Kind, string Prefix)> Attributes = new()
    {
        [DenseAttributeName] = (LayerKindSpec.Dense, "Dense"),
        ["HyperDsl.Conv2DAttribute"] = (LayerKindSpec.Conv2D, "Conv"),
        ["HyperDsl.MaxPool2DAttribute"] = (LayerKindSpec.MaxPool2D, "MaxPool"),
        ["HyperDsl.AvgPool2DAttribute"] = (LayerKindSpec.AvgPool2D, "AvgPool"),
        ["HyperDsl.GlobalAvgPool2DAttribute"] = (LayerKindSpec.GlobalAvgPool2D, "GlobalAvgPool"),
        ["HyperDsl.LayerNormAttribute"] = (LayerKindSpec.LayerNorm, "LayerNorm"),
    };

    /// <summary>Whether <paramref name="attribute"/> declares a layer.</summary>
    public static bool IsLayer(AttributeData attribute) => attribute.AttributeClass is { } type && Attributes.ContainsKey(type.ToDisplayString());

    /// <summary>
    /// The layers, with each layer's input shape chained from <paramref name="input"/>; null when there is none (and
    /// one is required) or any is invalid. <paramref name="decoderBody"/> restricts them to what a hypernetwork's body
    /// may hold: plain Dense layers. <paramref name="reservedNames"/> are names the generated code uses for other parts.
    /// </summary>
    public static List<LayerSpec>? Parse(ParseContext context, ShapeSpec input, bool requireOne, bool decoderBody, out List<AttributeSyntax?> syntaxes, params string[] reservedNames)
    {
        syntaxes = new List<AttributeSyntax?>();
        var applications = new List<(AttributeData Data, AttributeSyntax? Syntax, int Index)>();
        foreach (AttributeData attribute in context.Symbol.GetAttributes())
        {
            if (IsLayer(attribute))
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

        var reader = new Reader(context, reservedNames, decoderBody);
        var layers = new List<LayerSpec>(applications.Count);
        ShapeSpec shape = input;
        for (int index = 0; index < applications.Count; index++)
        {
            (AttributeData data, AttributeSyntax? syntax, _) = applications[index];
            LayerSpec? layer = reader.Read(data, syntax, index, shape);
            if (layer is null)
            {
                // The rest cannot be checked against a shape that is not known.
                return null;
            }

            layers.Add(layer);
            shape = layer.Output;
        }

        return reader.Valid ? layers : null;
    }

    /// <summary>Reads one layer attribute at a time, remembering the names taken so far.</summary>
    private sealed class Reader(ParseContext context, string[] reservedNames, bool decoderBody)
    {
        private readonly HashSet<string> names = new();

        public bool Valid { get; private set; } = true;

        /// <summary>The layer, or null when its output shape cannot be known (its errors reported).</summary>
        public LayerSpec? Read(AttributeData data, AttributeSyntax? syntax, int index, ShapeSpec input)
        {
            (LayerKindSpec kind, string prefix) = Attributes[data.AttributeClass!.ToDisplayString()];
            if (!AttributeArguments.TryGetNamedString(data, "Name", out string? name, out bool named)
                || !AttributeArguments.TryGetNamedBool(data, "Residual", out bool residual)
                || !AttributeArguments.TryGetNamedBool(data, "Shared", out bool shared))
            {
                context.Invalid();
                return null;
            }

            CheckName(named && name is not null ? name : prefix + index, named, syntax);
            if (decoderBody && (kind != LayerKindSpec.Dense || residual || shared))
            {
                string what = kind != LayerKindSpec.Dense ? $"a {kind} layer" : residual ? "a Residual layer" : "a Shared layer";
                Fail(DiagnosticDescriptors.HyperBodyLayerInvalid, syntax, context.DisplayName, what);
                return null;
            }

            string layerName = named && name is not null ? name : prefix + index;
            LayerSpec? layer = kind switch
            {
                LayerKindSpec.Dense => Dense(data, syntax, index, layerName, input),
                LayerKindSpec.Conv2D => Convolution(data, syntax, index, layerName, input),
                LayerKindSpec.MaxPool2D or LayerKindSpec.AvgPool2D => Pool(data, syntax, index, layerName, kind, input),
                LayerKindSpec.GlobalAvgPool2D => RequireImage(syntax, index, kind, input)
                    ? new LayerSpec(layerName, kind, input, ShapeSpec.Vector(input.Channels), ActivationKind.Identity)
                    : null,
                _ => new LayerSpec(layerName, kind, input, input, ActivationKind.Identity),
            };

            if (layer is null)
            {
                return null;
            }

            layer = layer with { Residual = residual, Shared = shared };
            if (residual && layer.Output != layer.Input)
            {
                Fail(DiagnosticDescriptors.ResidualShapeMismatch, AttributeArguments.NamedArgumentSyntax(syntax, "Residual"), index, context.DisplayName, input.ToString(), layer.Output.ToString());
            }

            return layer;
        }

        private LayerSpec? Dense(AttributeData data, AttributeSyntax? syntax, int index, string name, ShapeSpec input)
        {
            if (!AttributeArguments.TryGetInt(data, 0, out int units) || !AttributeArguments.TryGetInt(data, 1, out int activation))
            {
                context.Invalid();
                return null;
            }

            bool ok = Positive(units, syntax, 0, "units", index) & DefinedActivation(activation, syntax, 1, index);
            return ok ? new LayerSpec(name, LayerKindSpec.Dense, input, ShapeSpec.Vector(units), (ActivationKind)activation) : null;
        }

        private LayerSpec? Convolution(AttributeData data, AttributeSyntax? syntax, int index, string name, ShapeSpec input)
        {
            if (!AttributeArguments.TryGetInt(data, 0, out int filters)
                || !AttributeArguments.TryGetInt(data, 1, out int kernel)
                || !AttributeArguments.TryGetInt(data, 2, out int activation)
                || !AttributeArguments.TryGetNamedInt(data, "Stride", out int stride, defaultValue: 1)
                || !AttributeArguments.TryGetNamedInt(data, "Padding", out int padding, defaultValue: 0))
            {
                context.Invalid();
                return null;
            }

            bool ok = Positive(filters, syntax, 0, "filters", index) & DefinedActivation(activation, syntax, 2, index);
            if (stride < 1)
            {
                Fail(DiagnosticDescriptors.StrideNotPositive, AttributeArguments.NamedArgumentSyntax(syntax, "Stride"), index, context.DisplayName, stride);
                ok = false;
            }

            if (padding is not (0 or 1))
            {
                Fail(DiagnosticDescriptors.PaddingUndefined, AttributeArguments.NamedArgumentSyntax(syntax, "Padding"), index, context.DisplayName, padding);
                ok = false;
            }

            if (!RequireImage(syntax, index, LayerKindSpec.Conv2D, input) || !ok)
            {
                return null;
            }

            bool same = padding == 1;
            (int outHeight, int padTop) = ConvolvedSide(input.Height, kernel, stride, same);
            (int outWidth, int padLeft) = ConvolvedSide(input.Width, kernel, stride, same);
            if (kernel < 1 || outHeight < 1 || outWidth < 1)
            {
                Fail(DiagnosticDescriptors.WindowDoesNotFit, AttributeArguments.ConstructorArgumentSyntax(syntax, 1, "kernel"), index, context.DisplayName, $"{kernel}×{kernel}", input.ToString());
                return null;
            }

            return new LayerSpec(name, LayerKindSpec.Conv2D, input, ShapeSpec.Image(filters, outHeight, outWidth), (ActivationKind)activation, kernel, stride, padTop, padLeft);
        }

        private LayerSpec? Pool(AttributeData data, AttributeSyntax? syntax, int index, string name, LayerKindSpec kind, ShapeSpec input)
        {
            if (!AttributeArguments.TryGetInt(data, 0, out int size))
            {
                context.Invalid();
                return null;
            }

            if (!RequireImage(syntax, index, kind, input))
            {
                return null;
            }

            if (size < 1 || size > input.Height || size > input.Width)
            {
                Fail(DiagnosticDescriptors.WindowDoesNotFit, AttributeArguments.ConstructorArgumentSyntax(syntax, 0, "size"), index, context.DisplayName, $"{size}×{size}", input.ToString());
                return null;
            }

            int droppedRows = input.Height % size;
            int droppedColumns = input.Width % size;
            if (droppedRows > 0 || droppedColumns > 0)
            {
                context.Warn(
                    DiagnosticDescriptors.PoolDropsPixels,
                    LocationInfo.From(AttributeArguments.ConstructorArgumentSyntax(syntax, 0, "size")),
                    index,
                    context.DisplayName,
                    input.ToString(),
                    $"{size}×{size}",
                    droppedRows,
                    droppedColumns);
            }

            return new LayerSpec(name, kind, input, ShapeSpec.Image(input.Channels, input.Height / size, input.Width / size), ActivationKind.Identity, size, size);
        }

        /// <summary>
        /// One side of a convolution's output and the padding before it: valid, ⌊(in − k) / s⌋ + 1 and none; same,
        /// ⌈in / s⌉ with max((out − 1)·s + k − in, 0) in all, the larger half after (ONNX's SAME_UPPER).
        /// </summary>
        private static (int Output, int PadBefore) ConvolvedSide(int input, int kernel, int stride, bool same)
        {
            if (!same)
            {
                return input < kernel || kernel < 1 ? (0, 0) : (((input - kernel) / stride) + 1, 0);
            }

            int output = (input + stride - 1) / stride;
            long total = Math.Max(((long)(output - 1) * stride) + kernel - input, 0);
            return (output, (int)(total / 2));
        }

        private bool RequireImage(AttributeSyntax? syntax, int index, LayerKindSpec kind, ShapeSpec input)
        {
            if (input.IsImage)
            {
                return true;
            }

            Fail(DiagnosticDescriptors.SpatialLayerOnVector, syntax, index, context.DisplayName, kind.ToString(), input.Size);
            return false;
        }

        private bool Positive(int value, AttributeSyntax? syntax, int position, string parameter, int index)
        {
            if (value >= 1)
            {
                return true;
            }

            Fail(DiagnosticDescriptors.UnitsNotPositive, AttributeArguments.ConstructorArgumentSyntax(syntax, position, parameter), index, context.DisplayName, value, parameter);
            return false;
        }

        private bool DefinedActivation(int activation, AttributeSyntax? syntax, int position, int index)
        {
            if (activation >= 0 && activation < ActivationKindExtensions.Count)
            {
                return true;
            }

            Fail(DiagnosticDescriptors.ActivationUndefined, AttributeArguments.ConstructorArgumentSyntax(syntax, position, "activation"), index, context.DisplayName, activation);
            return false;
        }

        private void CheckName(string layerName, bool named, AttributeSyntax? syntax)
        {
            if (!SyntaxFacts.IsValidIdentifier(layerName))
            {
                Fail(DiagnosticDescriptors.LayerNameInvalid, AttributeArguments.NamedArgumentSyntax(syntax, "Name"), layerName, context.DisplayName);
            }
            else if (reservedNames.Contains(layerName))
            {
                Fail(DiagnosticDescriptors.LayerNameReserved, AttributeArguments.NamedArgumentSyntax(syntax, "Name"), layerName, context.DisplayName);
            }
            else if (!names.Add(layerName))
            {
                Fail(DiagnosticDescriptors.LayerNameDuplicate, named ? AttributeArguments.NamedArgumentSyntax(syntax, "Name") : syntax, layerName, context.DisplayName);
            }
        }

        private void Fail(DiagnosticDescriptor descriptor, SyntaxNode? at, params object[] arguments)
        {
            context.Error(descriptor, LocationInfo.From(at), arguments);
            Valid = false;
        }
    }
}
