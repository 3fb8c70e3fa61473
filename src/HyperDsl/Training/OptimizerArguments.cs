using System;

namespace HyperDsl.Training;

/// <summary>The checks every optimizer makes of its settings and of each step's spans.</summary>
internal static class OptimizerArguments
{
    public static void Count(int parameterCount)
    {
        if (parameterCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(parameterCount), parameterCount, "An optimizer needs at least 1 parameter.");
        }
    }

    public static void NonNegative(string name, float value)
    {
        if (!(value >= 0f) || float.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and at least 0.");
        }
    }

    public static void Positive(string name, float value)
    {
        if (!(value > 0f) || float.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and greater than 0.");
        }
    }

    /// <summary>low ≤ value ≤ high, or low ≤ value &lt; high when <paramref name="highExcluded"/>.</summary>
    public static void InRange(string name, float value, float low, float high, bool highExcluded = false)
    {
        bool inside = value >= low && (highExcluded ? value < high : value <= high);
        if (!inside)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [{low}, {high}{(highExcluded ? ")" : "]")}.");
        }
    }

    public static void Lengths(int expected, ReadOnlySpan<float> parameters, ReadOnlySpan<float> gradients)
    {
        if (parameters.Length != expected)
        {
            throw new ArgumentException($"parameters holds {parameters.Length} floats; this optimizer was built for {expected}.", nameof(parameters));
        }

        if (gradients.Length != expected)
        {
            throw new ArgumentException($"gradients holds {gradients.Length} floats; this optimizer was built for {expected}.", nameof(gradients));
        }
    }
}
