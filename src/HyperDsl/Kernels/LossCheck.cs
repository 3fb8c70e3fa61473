using System;

namespace HyperDsl.Kernels;

/// <summary>The checks on a loss and its targets that every call taking a <see cref="Loss"/> makes.</summary>
internal static class LossCheck
{
    /// <summary>Whether <paramref name="loss"/> is a member of <see cref="Loss"/>.</summary>
    public static bool IsDefined(Loss loss)
        => loss is Loss.MeanSquaredError or Loss.SoftmaxCrossEntropy or Loss.BinaryCrossEntropy or Loss.MaskedSoftmaxCrossEntropy;

    /// <summary>
    /// Targets for <paramref name="loss"/>: finite, except that <see cref="Loss.MaskedSoftmaxCrossEntropy"/> takes NaN
    /// for an output without a target, as long as every row of <paramref name="outputSize"/> has one with a target.
    /// </summary>
    public static void RequireTargets(string method, string argument, ReadOnlySpan<float> targets, int outputSize, Loss loss)
    {
        if (loss == Loss.MaskedSoftmaxCrossEntropy)
        {
            RequireMaskedTargets(method, argument, targets, outputSize);
        }
        else
        {
            FiniteCheck.Require(method, argument, targets);
        }
    }

    /// <summary>Every value finite or NaN, and at least one value that is not NaN in each row of <paramref name="outputSize"/>.</summary>
    public static void RequireMaskedTargets(string? method, string argument, ReadOnlySpan<float> targets, int outputSize)
    {
        for (int row = 0; row * outputSize < targets.Length; row++)
        {
            ReadOnlySpan<float> values = targets.Slice(row * outputSize, Math.Min(outputSize, targets.Length - (row * outputSize)));
            bool any = false;
            for (int k = 0; k < values.Length; k++)
            {
                float value = values[k];
                if (float.IsInfinity(value))
                {
                    string text = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    throw new ArgumentException($"{Prefix(method)}{argument}[{(row * outputSize) + k}] is {text}; under MaskedSoftmaxCrossEntropy a target is finite, or NaN for an output without one.", argument);
                }

                any |= !float.IsNaN(value);
            }

            if (!any)
            {
                throw new ArgumentException($"{Prefix(method)}{argument}: sample {row} has no output with a target (all {values.Length} are NaN); MaskedSoftmaxCrossEntropy needs at least one per sample.", argument);
            }
        }
    }

    // Built only when an exception is thrown: a check that passes allocates nothing.
    private static string Prefix(string? method) => method is null ? string.Empty : method + ": ";
}
