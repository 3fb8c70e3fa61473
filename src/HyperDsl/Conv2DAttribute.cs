using System;

namespace HyperDsl;

/// <summary>
/// A 2-D convolution over an image-shaped input: <c>filters</c> output channels, each a <c>kernel</c> × <c>kernel</c>
/// window over every input channel, plus a bias, then the activation — PyTorch's <c>nn.Conv2d</c> (cross-correlation,
/// no dilation, no groups) followed by the activation.
/// </summary>
/// <remarks>
/// Parameters: the weights, stored input-major as <c>[kernel·kernel·inChannels × filters]</c> (row
/// <c>(ky·kernel + kx)·inChannels + c</c> holds the weights of input channel c at window position (ky, kx) for every
/// filter, the order in which a window of a channels-last image lies in memory), then the bias <c>[filters]</c>. Checkpoints and the ONNX export use PyTorch's
/// <c>Conv2d.weight</c> <c>[filters, inChannels, kernel, kernel]</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv2DAttribute : Attribute
{
    /// <summary>Declares a convolution layer.</summary>
    /// <param name="filters">Output channels; at least 1.</param>
    /// <param name="kernel">The side of the square window; at least 1, and no larger than the (padded) input.</param>
    /// <param name="activation">The activation applied to the outputs.</param>
    public Conv2DAttribute(int filters, int kernel, Activation activation = Activation.Identity)
    {
        Filters = filters;
        Kernel = kernel;
        Activation = activation;
    }

    /// <summary>Output channels.</summary>
    public int Filters { get; }

    /// <summary>The side of the square window.</summary>
    public int Kernel { get; }

    /// <summary>The activation applied to the outputs.</summary>
    public Activation Activation { get; }

    /// <summary>The step between windows, in both directions. Default 1.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>How the input is padded. Default <see cref="HyperDsl.Padding.Valid"/> (none), as in PyTorch.</summary>
    public Padding Padding { get; set; } = Padding.Valid;

    /// <summary>
    /// Adds the layer's input to its output, y = x + f(conv(x)): needs an output of the input's shape (stride 1, same
    /// padding, as many filters as input channels).
    /// </summary>
    public bool Residual { get; set; }

    /// <summary>
    /// In a hypernetwork's target: the layer's parameters are learned directly, as part of θ, and are the same for every
    /// task; the hypernetwork generates only the other layers.
    /// </summary>
    public bool Shared { get; set; }

    /// <summary>The layer's name, for its <c>Layout</c> constants, summaries and checkpoints. Default <c>Conv</c> and its position.</summary>
    public string? Name { get; set; }
}
