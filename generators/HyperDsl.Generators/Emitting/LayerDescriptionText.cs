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
                + $"WeightsOffset: {layer.WeightsOffset}, BiasOffset: {layer.BiasOffset}, ActivationSlot: {layer.ActivationSlot}),");
        }
    }
}
