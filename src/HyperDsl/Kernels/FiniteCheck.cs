using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HyperDsl.Kernels;

/// <summary>Finds NaN and infinities in a span, a vector at a time.</summary>
internal static class FiniteCheck
{
    /// <summary>The index of the first value that is NaN or infinite, or −1.</summary>
    public static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        ref float start = ref MemoryMarshal.GetReference(values);
        int count = Vector<float>.Count;
        int i = 0;
        for (; i <= values.Length - count; i += count)
        {
            // x − x is 0 for every finite x, and NaN for NaN and ±∞.
            Vector<float> v = Unsafe.ReadUnaligned<Vector<float>>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref start, i)));
            if (!Vector.EqualsAll(v - v, Vector<float>.Zero))
            {
                break;
            }
        }

        for (; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the argument and the index of the first non-finite value.</summary>
    public static void Require(string method, string argument, ReadOnlySpan<float> values)
    {
        int index = FirstNonFinite(values);
        if (index >= 0)
        {
            string value = values[index].ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw new ArgumentException($"{method}: {argument}[{index}] is {value}; every value must be finite.", argument);
        }
    }
}
