using System.Numerics;
using System.Runtime.CompilerServices;

namespace HyperDsl.Kernels;

/// <summary>Unaligned loads and stores of <see cref="Vector{T}"/> at an element offset from a reference.</summary>
internal static class VectorMemory
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Load(ref float source, int offset)
        => Unsafe.ReadUnaligned<Vector<float>>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref source, offset)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector<float> value, ref float destination, int offset)
        => Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref destination, offset)), value);
}
