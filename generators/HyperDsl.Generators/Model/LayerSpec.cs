namespace HyperDsl.Generators.Model;

/// <summary>One dense layer as declared: its name, its input and output widths, and its activation.</summary>
internal sealed record LayerSpec(string Name, int Inputs, int Units, ActivationKind Activation);
