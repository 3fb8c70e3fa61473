using System.Collections.Generic;

namespace HyperDsl.Tests.Reference;

/// <summary>A reference target network, as <see cref="ReferenceHyperNetwork"/> uses it: its sizes, its forward pass, and what hyperfan aims at.</summary>
public interface IReferenceTarget
{
    int InputSize { get; }

    int OutputSize { get; }

    int ParameterCount { get; }

    /// <summary>The outputs [batch × OutputSize].</summary>
    double[] Forward(IReadOnlyList<double> parameters, IReadOnlyList<double> inputs, int batch);

    /// <summary>
    /// The deviation hyperfan aims at for every parameter: weights √(gain/(2·fan)) with the fan of a Dense layer
    /// (inputs or units) or a convolution (k²·channels or k²·filters), biases √(gain/2), a LayerNorm's γ and β 0.1.
    /// </summary>
    double[] HyperfanScale(bool fanOut = false);

    /// <summary>The fixed offset of every generated parameter: 1 for a LayerNorm's γ, else 0.</summary>
    double[] ParameterOffsets();

    /// <summary>Each layer's parameters in W: where they start and how many (0 for a pool).</summary>
    (int Start, int Length)[] LayerParameters();
}
