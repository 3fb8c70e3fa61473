using System.Collections.Generic;
using HyperDsl.Generators.Model;

namespace HyperDsl.Generators.Emitting;

/// <summary>Spells a network's layers as <c>HyperDsl.LayerDescription</c> values, one per line.</summary>
internal static class LayerDescriptionText
{
    public static void EmitItems(CodeWriter writer, TargetLayout layout)
    {
        foreach (LayerSlice layer in layout.Layers)
        {
            writer.Line(
                $"new(Name: \"{layer.Name}\", Inputs: {layer.Inputs}, Units: {layer.Units}, Activation: global::HyperDsl.Activation.{layer.Activation}, "
                + $"WeightsOffset: {layer.WeightsOffset}, BiasOffset: {layer.BiasOffset}, ActivationSlot: {layer.ActivationSlot}){Properties(layer.Spec)},");
        }
    }

    /// <summary>What a plain Dense layer over vectors leaves at its defaults: its kind, shapes, window, residual and sharing.</summary>
    private static string Properties(LayerSpec spec)
    {
        var properties = new List<string>();
        if (spec.Kind != LayerKindSpec.Dense)
        {
            properties.Add($"Kind = global::HyperDsl.LayerKind.{spec.Kind}");
        }

        if (spec.Input.IsImage)
        {
            properties.Add($"InputShape = {ShapeText(spec.Input)}");
        }

        if (spec.Output.IsImage)
        {
            properties.Add($"OutputShape = {ShapeText(spec.Output)}");
        }

        if (spec.Kernel > 0)
        {
            properties.Add($"Kernel = {spec.Kernel}, Stride = {spec.Stride}, PadTop = {spec.PadTop}, PadLeft = {spec.PadLeft}");
        }

        if (spec.Residual)
        {
            properties.Add("Residual = true");
        }

        if (spec.Shared)
        {
            properties.Add("Shared = true");
        }

        return properties.Count == 0 ? string.Empty : " { " + string.Join(", ", properties) + " }";
    }

    private static string ShapeText(ShapeSpec shape) => $"global::HyperDsl.Shape.Image({shape.Channels}, {shape.Height}, {shape.Width})";
}
