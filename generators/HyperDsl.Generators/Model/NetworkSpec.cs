namespace HyperDsl.Generators.Model;

/// <summary>
/// Everything the emitters need to know about one declared target network: only strings, numbers and arrays of
/// them, so that an edit that does not change the declaration leaves this value equal and the output cached.
/// </summary>
/// <param name="Declaration">Where the class is and what it is called.</param>
/// <param name="InputSize">Inputs per sample.</param>
/// <param name="Layers">The layers in source order.</param>
internal sealed record NetworkSpec(TypeDeclarationSpec Declaration, int InputSize, EquatableArray<LayerSpec> Layers);
