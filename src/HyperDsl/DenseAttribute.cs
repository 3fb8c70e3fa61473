using System;

namespace HyperDsl;

/// <summary>
/// A fully connected layer: y = f(x·W + b), with <c>units</c> outputs. Layers are applied in the order in which
/// the attributes appear in the source. After an image-shaped layer, the input is flattened in PyTorch's order
/// (channel, row, column).
/// </summary>
/// <remarks>
/// The layer's parameters are its weights, stored input-major (<c>W[i * units + o]</c>), followed by its bias.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute : Attribute
{
    /// <summary>Declares a fully connected layer.</summary>
    /// <param name="units">The number of outputs of the layer; at least 1.</param>
    /// <param name="activation">The activation applied to the layer's outputs.</param>
    public DenseAttribute(int units, Activation activation = Activation.Identity)
    {
        Units = units;
        Activation = activation;
    }

    /// <summary>The number of outputs of the layer.</summary>
    public int Units { get; }

    /// <summary>The activation applied to the layer's outputs.</summary>
    public Activation Activation { get; }

    /// <summary>
    /// The layer's name, used for its <c>Layout</c> constants and in summaries and checkpoints. Defaults to
    /// <c>Dense0</c>, <c>Dense1</c>, ... by position. Must be a valid C# identifier.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>Adds the layer's input to its output, y = x + f(x·W + b): needs as many units as inputs.</summary>
    public bool Residual { get; set; }

    /// <summary>
    /// In a hypernetwork's target: the layer's parameters are learned directly, as part of θ, and are the same for every
    /// task; the hypernetwork generates only the other layers.
    /// </summary>
    public bool Shared { get; set; }
}
