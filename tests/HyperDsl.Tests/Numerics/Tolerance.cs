using System;
using System.Collections.Generic;
using System.Linq;
using Xunit.Sdk;

namespace HyperDsl.Tests.Numerics;

/// <summary>
/// Compares float32 results with a double-precision oracle: each element may differ by
/// <c>tolerance·(|expected| + rms(expected))</c>. The rms term keeps elements near zero, which a relative test alone
/// would judge by their own tiny magnitude, to the scale of the tensor they belong to. NaN never passes.
/// </summary>
public static class Tolerance
{
    public static void AssertClose(ReadOnlySpan<float> actual, IReadOnlyList<double> expected, double tolerance, string what)
    {
        if (actual.Length < expected.Count)
        {
            throw new XunitException($"{what}: {actual.Length} values, expected {expected.Count}");
        }

        double rms = Math.Sqrt(expected.Sum(e => e * e) / Math.Max(1, expected.Count));
        int worst = -1;
        double worstRatio = 0;
        for (int k = 0; k < expected.Count; k++)
        {
            double allowed = tolerance * (Math.Abs(expected[k]) + rms);
            double error = Math.Abs(actual[k] - expected[k]);
            double ratio = allowed > 0 ? error / allowed : (error == 0 ? 0 : double.PositiveInfinity);
            if (!(ratio <= 1.0))
            {
                if (worst < 0 || !(ratio <= worstRatio))
                {
                    worst = k;
                    worstRatio = ratio;
                }
            }
        }

        if (worst >= 0)
        {
            throw new XunitException(
                $"{what}: element {worst} is {actual[worst]:R}, expected {expected[worst]:R} " +
                $"(error {Math.Abs(actual[worst] - expected[worst]):E2}, {worstRatio:F1}× the tolerance {tolerance:E0}; rms of expected {rms:E2}).");
        }
    }
}
