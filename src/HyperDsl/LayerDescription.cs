namespace HyperDsl;

/// <summary>One dense layer of a generated network: its shape, its activation, and its place in the parameter vector.</summary>
/// <param name="Name">The layer's name (<c>Dense0</c>, ... unless named).</param>
/// <param name="Inputs">Its input width (fan-in).</param>
/// <param name="Units">Its output width (fan-out).</param>
/// <param name="Activation">Its activation.</param>
/// <param name="WeightsOffset">Offset of its weights <c>[Inputs × Units]</c>, input-major, in its network's parameters.</param>
/// <param name="BiasOffset">Offset of its bias <c>[Units]</c>.</param>
/// <param name="ActivationSlot">Per-sample workspace offset of its activations f(z), or −1 when the forward pass does not keep them.</param>
public readonly record struct LayerDescription(string Name, int Inputs, int Units, Activation Activation, int WeightsOffset, int BiasOffset, int ActivationSlot)
{
    /// <summary>Inputs × Units, the length of the weights.</summary>
    public int WeightsLength => Inputs * Units;

    /// <summary>The number of parameters: weights and bias.</summary>
    public int ParameterCount => (Inputs * Units) + Units;
}
