using System;
using System.Collections.Generic;

namespace Sinusoid;

/// <summary>A mean with the half-width of its 95 % confidence interval (1.96 standard errors).</summary>
public readonly record struct Estimate(double Mean, double HalfWidth)
{
    public static Estimate Of(IReadOnlyList<double> values)
    {
        double mean = 0;
        foreach (double value in values)
        {
            mean += value;
        }

        mean /= values.Count;
        double variance = 0;
        foreach (double value in values)
        {
            variance += (value - mean) * (value - mean);
        }

        variance /= Math.Max(1, values.Count - 1);
        return new Estimate(mean, 1.96 * Math.Sqrt(variance / values.Count));
    }

    public override string ToString() => $"{Mean:F4} ± {HalfWidth:F4}";

    /// <summary>A fraction written as a percentage: "82.14 % ± 0.84".</summary>
    public string ToPercent() => $"{100 * Mean:F2} % ± {100 * HalfWidth:F2}";
}
