using System;
using System.ComponentModel;
using System.Numerics.Tensors;

namespace HyperDsl.Kernels;

/// <summary>
/// Layer normalisation for the kernels the HyperDsl source generator emits, with PyTorch's <c>nn.LayerNorm</c>
/// semantics: per sample, over all its features, the biased variance, ε added to it. Support for generated code; not
/// intended to be called directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class NormalizationKernels
{
    /// <summary>ε of <c>nn.LayerNorm</c>, added to the variance.</summary>
    public const float LayerNormEpsilon = 1e-5f;

    /// <summary>
    /// y = γ ⊙ (x − μ)/√(σ² + ε) + β per sample; keeps x̂ = (x − μ)/√(σ² + ε) and 1/√(σ² + ε) for the backward pass.
    /// </summary>
    /// <param name="input">x, <c>[batch × features]</c>.</param>
    /// <param name="scale">γ, <c>[features]</c>.</param>
    /// <param name="shift">β, <c>[features]</c>.</param>
    /// <param name="normalized">Receives x̂, <c>[batch × features]</c>.</param>
    /// <param name="inverseDeviation">Receives 1/√(σ² + ε), <c>[batch]</c>.</param>
    /// <param name="output">Receives y, <c>[batch × features]</c>; may be <paramref name="normalized"/>'s memory only if x̂ is not needed.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="features">Features per sample.</param>
    public static void LayerNorm(ReadOnlySpan<float> input, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, Span<float> normalized, Span<float> inverseDeviation, Span<float> output, int batch, int features)
    {
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> x = input.Slice(n * features, features);
            Span<float> xHat = normalized.Slice(n * features, features);

            // The mean first, then the variance about it: two passes, as the one-pass formula loses precision.
            float mean = TensorPrimitives.Sum(x) / features;
            TensorPrimitives.Subtract(x, mean, xHat);
            float variance = TensorPrimitives.SumOfSquares<float>(xHat) / features;
            float inverse = 1f / MathF.Sqrt(variance + LayerNormEpsilon);
            inverseDeviation[n] = inverse;
            TensorPrimitives.Multiply(xHat, inverse, xHat);
            TensorPrimitives.FusedMultiplyAdd(xHat, scale, shift, output.Slice(n * features, features));
        }
    }

    /// <summary>
    /// The backward pass of <see cref="LayerNorm"/>: adds ∂L/∂γ = Σₙ dy ⊙ x̂ and ∂L/∂β = Σₙ dy, and writes
    /// ∂L/∂x = (1/σ)·(d − mean(d) − x̂·mean(d ⊙ x̂)) with d = dy ⊙ γ.
    /// </summary>
    /// <param name="normalized">x̂ from the forward pass.</param>
    /// <param name="inverseDeviation">1/√(σ² + ε) from the forward pass.</param>
    /// <param name="scale">γ.</param>
    /// <param name="outputGradient">∂L/∂y, <c>[batch × features]</c>; left unchanged.</param>
    /// <param name="scaleGradient">∂L/∂γ, added to.</param>
    /// <param name="shiftGradient">∂L/∂β, added to.</param>
    /// <param name="inputGradient">Receives ∂L/∂x; may not overlap <paramref name="outputGradient"/>.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="features">Features per sample.</param>
    public static void LayerNormBackward(
        ReadOnlySpan<float> normalized,
        ReadOnlySpan<float> inverseDeviation,
        ReadOnlySpan<float> scale,
        ReadOnlySpan<float> outputGradient,
        Span<float> scaleGradient,
        Span<float> shiftGradient,
        Span<float> inputGradient,
        int batch,
        int features)
    {
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> xHat = normalized.Slice(n * features, features);
            ReadOnlySpan<float> dy = outputGradient.Slice(n * features, features);
            Span<float> dx = inputGradient.Slice(n * features, features);
            TensorPrimitives.FusedMultiplyAdd(dy, xHat, scaleGradient, scaleGradient);
            TensorPrimitives.Add(shiftGradient, dy, shiftGradient);

            // d = dy ⊙ γ, in dx; then dx = (d − mean(d) − x̂·mean(d ⊙ x̂)) / σ.
            TensorPrimitives.Multiply(dy, scale, dx);
            float meanD = TensorPrimitives.Sum<float>(dx) / features;
            float meanDx = TensorPrimitives.Dot(dx, xHat) / features;
            float inverse = inverseDeviation[n];
            TensorPrimitives.MultiplyAdd(xHat, -meanDx, dx, dx);
            TensorPrimitives.Add(dx, -meanD, dx);
            TensorPrimitives.Multiply(dx, inverse, dx);
        }
    }

    /// <summary>The parameter gradients of <see cref="LayerNorm"/> alone, for a first layer whose input gradient is not wanted.</summary>
    /// <param name="normalized">x̂ from the forward pass.</param>
    /// <param name="outputGradient">∂L/∂y.</param>
    /// <param name="scaleGradient">∂L/∂γ, added to.</param>
    /// <param name="shiftGradient">∂L/∂β, added to.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="features">Features per sample.</param>
    public static void LayerNormParameterGradients(ReadOnlySpan<float> normalized, ReadOnlySpan<float> outputGradient, Span<float> scaleGradient, Span<float> shiftGradient, int batch, int features)
    {
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> dy = outputGradient.Slice(n * features, features);
            TensorPrimitives.FusedMultiplyAdd(dy, normalized.Slice(n * features, features), scaleGradient, scaleGradient);
            TensorPrimitives.Add(shiftGradient, dy, shiftGradient);
        }
    }
}
