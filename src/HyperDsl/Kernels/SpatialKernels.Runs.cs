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
    /// <remarks>A run that is not a whole number of vectors ends with one more vector over its last floats, overlapping the one before.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(ref float from, ref float to, int count)
    {
        if (Vector256.IsHardwareAccelerated && count >= 8)
        {
            int i = 0;
            for (; i <= count - 8; i += 8)
            {
                Vector256.LoadUnsafe(ref from, (nuint)i).StoreUnsafe(ref to, (nuint)i);
            }

            if (i < count)
            {
                Vector256.LoadUnsafe(ref from, (nuint)(count - 8)).StoreUnsafe(ref to, (nuint)(count - 8));
            }

            return;
        }

        if (Vector128.IsHardwareAccelerated && count >= 4)
        {
            int i = 0;
            for (; i <= count - 4; i += 4)
            {
                Vector128.LoadUnsafe(ref from, (nuint)i).StoreUnsafe(ref to, (nuint)i);
            }

            if (i < count)
            {
                Vector128.LoadUnsafe(ref from, (nuint)(count - 4)).StoreUnsafe(ref to, (nuint)(count - 4));
            }

            return;
        }

        for (int i = 0; i < count; i++)
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
    /// PyTorch's max pool: <paramref name="from"/> is taken where it is larger or NaN. The two do not overlap.
    /// </summary>
    /// <remarks>A run that is not a whole number of vectors ends with one more vector over its last floats: taking a maximum twice changes nothing.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Max(ref float into, ref float from, int count)
    {
        if (Vector256.IsHardwareAccelerated && count >= 8)
        {
            int i = 0;
            for (; i <= count - 8; i += 8)
            {
                MaxOrNaN(Vector256.LoadUnsafe(ref into, (nuint)i), Vector256.LoadUnsafe(ref from, (nuint)i)).StoreUnsafe(ref into, (nuint)i);
            }

            if (i < count)
            {
                i = count - 8;
                MaxOrNaN(Vector256.LoadUnsafe(ref into, (nuint)i), Vector256.LoadUnsafe(ref from, (nuint)i)).StoreUnsafe(ref into, (nuint)i);
            }

            return;
        }

        if (Vector128.IsHardwareAccelerated && count >= 4)
        {
            int i = 0;
            for (; i <= count - 4; i += 4)
            {
                MaxOrNaN(Vector128.LoadUnsafe(ref into, (nuint)i), Vector128.LoadUnsafe(ref from, (nuint)i)).StoreUnsafe(ref into, (nuint)i);
            }

            if (i < count)
            {
                i = count - 4;
                MaxOrNaN(Vector128.LoadUnsafe(ref into, (nuint)i), Vector128.LoadUnsafe(ref from, (nuint)i)).StoreUnsafe(ref into, (nuint)i);
            }

            return;
        }

        for (int i = 0; i < count; i++)
        {
            float candidate = Unsafe.Add(ref from, i);
            if (candidate > Unsafe.Add(ref into, i) || float.IsNaN(candidate))
            {
                Unsafe.Add(ref into, i) = candidate;
            }
        }
    }

    /// <summary>The candidate where it is larger than the current value or NaN, else the current value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MaxOrNaN(Vector256<float> current, Vector256<float> candidate)
        => Vector256.ConditionalSelect(Vector256.GreaterThan(candidate, current) | ~Vector256.Equals(candidate, candidate), candidate, current);

    /// <inheritdoc cref="MaxOrNaN(Vector256{float}, Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> MaxOrNaN(Vector128<float> current, Vector128<float> candidate)
        => Vector128.ConditionalSelect(Vector128.GreaterThan(candidate, current) | ~Vector128.Equals(candidate, candidate), candidate, current);
}
