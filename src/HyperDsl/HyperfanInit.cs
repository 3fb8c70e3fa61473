namespace HyperDsl;

/// <summary>
/// How <see cref="HyperNetworkModel{TTarget}.Initialize(int, HyperfanInit)"/> scales the head, after Chang, Sacramento
/// and Steger, "Principled Weight Initialization for Hypernetworks" (ICLR 2020).
/// </summary>
/// <remarks>
/// <see cref="FanIn"/> and <see cref="FanOut"/> split the variance of a target layer's pre-activation evenly between its weights and its bias, and use the
/// gain of the layer's activation as Kaiming and Xavier initialisation do (<c>torch.nn.init.calculate_gain</c>: √2 for
/// Relu, LeakyRelu, Gelu, Silu, Softplus and Elu, so gain² = 2 (calculate_gain has no entry for ELU; it is treated as
/// the rectifier it resembles); 5/3 for Tanh, gain² = 25/9; 1 otherwise).
/// </remarks>
public enum HyperfanInit
{
    /// <summary>Generated weights of a layer get variance gain²/(2·fan-in) and its biases gain²/2: the forward signal keeps its scale.</summary>
    FanIn = 0,

    /// <summary>Generated weights get variance gain²/(2·fan-out), biases gain²/2: the backward signal keeps its scale.</summary>
    FanOut = 1,

    /// <summary>
    /// No hyperfan: every layer of g, the head included, Xavier-uniform (PyTorch's <c>xavier_uniform_</c>) with biases 0,
    /// and a chunked head's fixed factors all 1, so that the generated parameters are the head's outputs themselves —
    /// how von Oswald et al. (ICLR 2020) initialise their continual-learning hypernetworks. W does not start at a
    /// directly initialised target's variance; in exchange an optimizer step on a chunked head moves W as much as it
    /// moves the head, where hyperfan's factors (about 1/√fan-in) shrink it.
    /// </summary>
    Xavier = 2,
}
