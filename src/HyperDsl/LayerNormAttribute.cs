using System;

namespace HyperDsl;

/// <summary>
/// Normalises all features of each sample (C·H·W of an image) to mean 0 and variance 1, then scales and shifts them by
/// the learned γ and β — PyTorch's <c>nn.LayerNorm(shape)</c>: the biased variance, ε = 1e-5 added to it.
/// </summary>
/// <remarks>
/// Parameters: γ, then β, one per feature. A hypernetwork generates them like any other layer's, starting near γ = 1
/// and β = 0; a <see cref="Shared"/> layer starts at exactly 1 and 0, as PyTorch's does.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LayerNormAttribute : Attribute
{
    /// <summary>Adds the layer's input to its output, y = x + LayerNorm(x).</summary>
    public bool Residual { get; set; }

    /// <summary>
    /// In a hypernetwork's target: γ and β are learned directly, as part of θ, and are the same for every task.
    /// </summary>
    public bool Shared { get; set; }

    /// <summary>The layer's name, for its <c>Layout</c> constants, summaries and checkpoints. Default <c>LayerNorm</c> and its position.</summary>
    public string? Name { get; set; }
}
