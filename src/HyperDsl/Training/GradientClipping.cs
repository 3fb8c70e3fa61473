using System;
using System.Numerics.Tensors;

namespace HyperDsl.Training;

/// <summary>Gradient clipping, as <c>torch.nn.utils.clip_grad_norm_</c> does it.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales <paramref name="gradients"/> by maxNorm / (‖g‖ + 10⁻⁶) when their Euclidean norm exceeds
    /// <paramref name="maxNorm"/>; returns the norm before clipping.
    /// </summary>
    /// <param name="gradients">The gradients, scaled in place.</param>
    /// <param name="maxNorm">The largest norm allowed, greater than 0.</param>
    /// <returns>‖g‖ before clipping (NaN or ∞ when a gradient is; then nothing is scaled).</returns>
    public static float ClipByNorm(Span<float> gradients, float maxNorm)
    {
        OptimizerArguments.Positive(nameof(maxNorm), maxNorm);
        float norm = TensorPrimitives.Norm<float>(gradients);
        if (norm > maxNorm && float.IsFinite(norm))
        {
            TensorPrimitives.Multiply(gradients, maxNorm / (norm + 1e-6f), gradients);
        }

        return norm;
    }
}
