using System;

namespace HyperDsl.Kernels;

/// <summary>Normal samples from a seeded <see cref="Random"/> (Box–Muller), so that a seed fixes every draw.</summary>
internal static class Gaussian
{
    /// <summary>Fills <paramref name="destination"/> with N(0, standardDeviation²) samples.</summary>
    public static void Fill(Random random, Span<float> destination, double standardDeviation)
    {
        for (int i = 0; i < destination.Length; i += 2)
        {
            double radius = Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble()));
            double angle = 2.0 * Math.PI * random.NextDouble();
            destination[i] = (float)(standardDeviation * radius * Math.Cos(angle));
            if (i + 1 < destination.Length)
            {
                destination[i + 1] = (float)(standardDeviation * radius * Math.Sin(angle));
            }
        }
    }
}
