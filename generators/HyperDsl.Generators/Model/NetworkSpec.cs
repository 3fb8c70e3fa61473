namespace HyperDsl.Generators.Model;

/// <summary>
/// Everything the emitters need to know about one declared target network: only strings, numbers and arrays of
/// them, so that an edit that does not change the declaration leaves this value equal and the output cached.
/// </summary>
/// <param name="Declaration">Where the class is and what it is called.</param>
/// <param name="Input">The shape of one input sample: a vector, or an image (NCHW).</param>
/// <param name="Layers">The layers in source order.</param>
internal sealed record NetworkSpec(TypeDeclarationSpec Declaration, ShapeSpec Input, EquatableArray<LayerSpec> Layers)
{
    /// <summary>Floats per input sample.</summary>
    public int InputSize => Input.Size;
}
