namespace HyperDsl;

/// <summary>The activation function applied to a layer's output, element by element.</summary>
/// <remarks>
/// Every function is evaluated in float32 with a vectorised kernel; the formulas are the ones PyTorch uses,
/// so that a model's behaviour carries over.
/// </remarks>
public enum Activation
{
    /// <summary>f(z) = z. The default, and the usual choice for a regression output.</summary>
    Identity = 0,

    /// <summary>f(z) = max(z, 0).</summary>
    Relu = 1,

    /// <summary>f(z) = z for z &gt; 0, 0.01·z otherwise (PyTorch's default negative slope).</summary>
    LeakyRelu = 2,

    /// <summary>f(z) = tanh(z).</summary>
    Tanh = 3,

    /// <summary>f(z) = 1 / (1 + e^(−z)).</summary>
    Sigmoid = 4,

    /// <summary>
    /// The tanh approximation of GELU: f(z) = ½·z·(1 + tanh(√(2/π)·(z + 0.044715·z³))),
    /// PyTorch's <c>gelu(approximate='tanh')</c>.
    /// </summary>
    Gelu = 5,

    /// <summary>f(z) = z·sigmoid(z), also called swish.</summary>
    Silu = 6,

    /// <summary>f(z) = ln(1 + e^z), computed without overflow for large |z|.</summary>
    Softplus = 7,

    /// <summary>
    /// f(z) = z for z &gt; 0, e^z − 1 otherwise: PyTorch's <c>nn.ELU()</c> with its default α = 1, the activation of
    /// the hypernetworks in von Oswald et al.'s continual-learning experiments.
    /// </summary>
    Elu = 8,
}
