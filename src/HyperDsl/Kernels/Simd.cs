using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace HyperDsl.Kernels;

/// <summary>
/// Vector building blocks for the kernels that the HyperDsl source generator emits. Support for generated code;
/// not intended to be called directly.
/// </summary>
/// <remarks>
/// The .NET 8 API has no portable fused multiply-add on <see cref="Vector128{T}"/> and its wider siblings, so the
/// instruction is chosen here; every <c>IsSupported</c> check is a JIT-time constant and the call inlines to one
/// instruction (or to a multiply and an add where the CPU has no FMA).
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Simd
{
    /// <summary>Returns <c>left * right + addend</c> for each element, fused where the CPU can.</summary>
    /// <param name="left">The first factor.</param>
    /// <param name="right">The second factor.</param>
    /// <param name="addend">The value added to the product.</param>
    /// <returns>The element-wise multiply-add.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> left, Vector512<float> right, Vector512<float> addend)
        => Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(left, right, addend) : (left * right) + addend;

    /// <inheritdoc cref="MultiplyAdd(Vector512{float}, Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> left, Vector256<float> right, Vector256<float> addend)
        => Fma.IsSupported ? Fma.MultiplyAdd(left, right, addend) : (left * right) + addend;

    /// <inheritdoc cref="MultiplyAdd(Vector512{float}, Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> left, Vector128<float> right, Vector128<float> addend)
    {
        if (Fma.IsSupported)
        {
            return Fma.MultiplyAdd(left, right, addend);
        }

        if (AdvSimd.IsSupported)
        {
            return AdvSimd.FusedMultiplyAdd(addend, left, right);
        }

        return (left * right) + addend;
    }
}
