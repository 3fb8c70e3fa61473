namespace HyperDsl;

/// <summary>
/// The order in which a hypernetwork's head emits the target's parameters (<see cref="HyperNetworkAttribute.GeneratedOrder"/>).
/// It decides which target parameters share a head output — across chunks, the same row of the head generates the
/// parameter at the same place in every chunk — and so what a task's embedding can change together.
/// </summary>
public enum ParameterOrder
{
    /// <summary>The target's own layout, as its <c>Layout</c> constants give it: Dense weights input-major, <c>W[i · units + o]</c>.</summary>
    Native = 0,

    /// <summary>
    /// PyTorch's: layer by layer, weight then bias, each tensor row-major in the shape <c>torch.nn</c> gives it
    /// (<c>Linear.weight</c> <c>[out, in]</c>, <c>Conv2d.weight</c> <c>[out, in, kh, kw]</c>, a LayerNorm's over an
    /// image <c>[C, H, W]</c>), as a hypernetwork written in PyTorch emits them when it splits one flat output into the
    /// target's parameters. The runtime puts each task's W back into the target's layout before the target runs.
    /// </summary>
    PyTorch = 1,
}
