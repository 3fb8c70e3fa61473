namespace HyperDsl;

/// <summary>
/// How <see cref="HyperNetworkModel{TTarget}.Initialize(int, HyperfanInit)"/> scales the head, after Chang, Sacramento
/// and Steger, "Principled Weight Initialization for Hypernetworks" (ICLR 2020).
/// </summary>
/// <remarks>
/// Both split the variance of a target layer's pre-activation evenly between its weights and its bias, and use the
/// gain of the layer's activation as Kaiming and Xavier initialisation do (<c>torch.nn.init.calculate_gain</c>: √2 for
/// Relu, LeakyRelu, Gelu, Silu and Softplus, so gain² = 2; 5/3 for Tanh, gain² = 25/9; 1 otherwise).
/// </remarks>
public enum HyperfanInit
{
    /// <summary>Generated weights of a layer get variance gain²/(2·fan-in) and its biases gain²/2: the forward signal keeps its scale.</summary>
    FanIn = 0,

    /// <summary>Generated weights get variance gain²/(2·fan-out), biases gain²/2: the backward signal keeps its scale.</summary>
    FanOut = 1,
}
