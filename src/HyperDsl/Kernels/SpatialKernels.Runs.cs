using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace HyperDsl.Kernels;

/// <summary>
/// Short runs of floats (a pixel's channels, a window row) moved and combined with inline vector code: at 5 to 50 floats,
/// a library call's fixed cost would be most of the work.
/// </summary>
public static partial class SpatialKernels
{
    /// <summary><paramref name="count"/> floats from <paramref name="from"/> to <paramref name="to"/> (which do not overlap).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(ref float from, ref float to, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= count - 8; i += 8)
            {
                Vector256.LoadUnsafe(ref from, (nuint)i).StoreUnsafe(ref to, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= count - 4; i += 4)
            {
                Vector128.LoadUnsafe(ref from, (nuint)i).StoreUnsafe(ref to, (nuint)i);
            }
        }

        for (; i < count; i++)
        {
            Unsafe.Add(ref to, i) = Unsafe.Add(ref from, i);
        }
    }

    /// <summary>Sets <paramref name="count"/> floats to 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Clear(ref float to, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= count - 8; i += 8)
            {
                Vector256<float>.Zero.StoreUnsafe(ref to, (nuint)i);
            }
        }

        for (; i < count; i++)
        {
            Unsafe.Add(ref to, i) = 0f;
        }
    }

    /// <summary><paramref name="into"/>[i] += <paramref name="from"/>[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(ref float into, ref float from, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= count - 8; i += 8)
            {
                (Vector256.LoadUnsafe(ref into, (nuint)i) + Vector256.LoadUnsafe(ref from, (nuint)i)).StoreUnsafe(ref into, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= count - 4; i += 4)
            {
                (Vector128.LoadUnsafe(ref into, (nuint)i) + Vector128.LoadUnsafe(ref from, (nuint)i)).StoreUnsafe(ref into, (nuint)i);
            }
        }

        for (; i < count; i++)
        {
            Unsafe.Add(ref into, i) += Unsafe.Add(ref from, i);
        }
    }

    /// <summary><paramref name="to"/>[i] = <paramref name="from"/>[i] × <paramref name="scale"/> (the two may be the same).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scale(ref float from, ref float to, float scale, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= count - 8; i += 8)
            {
                (Vector256.LoadUnsafe(ref from, (nuint)i) * scale).StoreUnsafe(ref to, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= count - 4; i += 4)
            {
                (Vector128.LoadUnsafe(ref from, (nuint)i) * scale).StoreUnsafe(ref to, (nuint)i);
            }
        }

        for (; i < count; i++)
        {
            Unsafe.Add(ref to, i) = Unsafe.Add(ref from, i) * scale;
        }
    }

    /// <summary>
    /// <paramref name="into"/>[i] = max(<paramref name="into"/>[i], <paramref name="from"/>[i]), NaN winning as in
    /// PyTorch's max pool: <paramref name="from"/> is taken where it is larger or NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Max(ref float into, ref float from, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= count - 8; i += 8)
            {
                Vector256<float> current = Vector256.LoadUnsafe(ref into, (nuint)i), candidate = Vector256.LoadUnsafe(ref from, (nuint)i);
                Vector256<float> take = Vector256.GreaterThan(candidate, current) | ~Vector256.Equals(candidate, candidate);
                Vector256.ConditionalSelect(take, candidate, current).StoreUnsafe(ref into, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= count - 4; i += 4)
            {
                Vector128<float> current = Vector128.LoadUnsafe(ref into, (nuint)i), candidate = Vector128.LoadUnsafe(ref from, (nuint)i);
                Vector128<float> take = Vector128.GreaterThan(candidate, current) | ~Vector128.Equals(candidate, candidate);
                Vector128.ConditionalSelect(take, candidate, current).StoreUnsafe(ref into, (nuint)i);
            }
        }

        for (; i < count; i++)
        {
            float candidate = Unsafe.Add(ref from, i);
            if (candidate > Unsafe.Add(ref into, i) || float.IsNaN(candidate))
            {
                Unsafe.Add(ref into, i) = candidate;
            }
        }
    }
}
