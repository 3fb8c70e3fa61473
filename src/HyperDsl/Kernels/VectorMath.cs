using System.Numerics;
using System.Runtime.CompilerServices;

namespace HyperDsl.Kernels;

/// <summary>Transcendental functions on <see cref="Vector{T}"/> of float, accurate to a few units in the last place.</summary>
internal static class VectorMath
{
    // √(2/π) and the cubic coefficient of the tanh approximation of GELU.
    private const float GeluScale = 0.7978845608028654f;
    private const float GeluCubic = 0.044715f;

    /// <summary>e^x. Inputs are clamped to [−87, 88], where e^x is a normal float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Exp(Vector<float> x)
    {
        x = Vector.Min(Vector.Max(x, new Vector<float>(-87f)), new Vector<float>(88f));

        // x = k·ln2 + r with |r| ≤ ln2/2; ln2 is split in two so that k·ln2 is exact in its first part.
        Vector<float> k = Vector.Floor((x * 1.44269504088896341f) + new Vector<float>(0.5f));
        Vector<float> r = x - (k * 0.693359375f) - (k * -2.12194440e-4f);

        // e^r by a degree-7 polynomial (Cephes expf coefficients), then scaled by 2^k through the exponent bits.
        Vector<float> p = new Vector<float>(1.9875691500e-4f);
        p = (p * r) + new Vector<float>(1.3981999507e-3f);
        p = (p * r) + new Vector<float>(8.3334519073e-3f);
        p = (p * r) + new Vector<float>(4.1665795894e-2f);
        p = (p * r) + new Vector<float>(1.6666665459e-1f);
        p = (p * r) + new Vector<float>(5.0000001201e-1f);
        p = (p * r * r) + r + Vector<float>.One;
        Vector<int> exponent = Vector.ShiftLeft(Vector.ConvertToInt32(k) + new Vector<int>(127), 23);
        return p * Vector.AsVectorSingle(exponent);
    }

    /// <summary>
    /// e^x − 1 for x ≤ 0, without the cancellation of the difference near 0: for |x| &lt; 0.5 the series
    /// x + x²/2! + ... + x⁸/8! (a relative error below 2·10⁻⁸); elsewhere e^x − 1, which loses at most a bit there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> ExpMinusOne(Vector<float> x)
    {
        Vector<float> p = new Vector<float>(1f / 40320f);
        p = (p * x) + new Vector<float>(1f / 5040f);
        p = (p * x) + new Vector<float>(1f / 720f);
        p = (p * x) + new Vector<float>(1f / 120f);
        p = (p * x) + new Vector<float>(1f / 24f);
        p = (p * x) + new Vector<float>(1f / 6f);
        p = (p * x) + new Vector<float>(0.5f);
        Vector<float> small = (p * x * x) + x;
        return Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(x), new Vector<float>(0.5f)), small, Exp(x) - Vector<float>.One);
    }

    /// <summary>1 / (1 + e^(−x)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Sigmoid(Vector<float> x) => Vector<float>.One / (Vector<float>.One + Exp(-x));

    /// <summary>tanh(x): a polynomial near zero, where 1 − 2/(e^(2x) + 1) would cancel, the exponential elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Tanh(Vector<float> x)
    {
        Vector<float> magnitude = Vector.Abs(x);
        Vector<float> large = Vector<float>.One - (new Vector<float>(2f) / (Exp(magnitude + magnitude) + Vector<float>.One));
        large = Vector.ConditionalSelect(Vector.LessThan(x, Vector<float>.Zero), -large, large);

        // Cephes tanhf: x + x·z·P(z), z = x², for |x| < 0.625.
        Vector<float> z = x * x;
        Vector<float> p = new Vector<float>(-5.70498872745e-3f);
        p = (p * z) + new Vector<float>(2.06390887954e-2f);
        p = (p * z) + new Vector<float>(-5.37397155531e-2f);
        p = (p * z) + new Vector<float>(1.33314422036e-1f);
        p = (p * z) + new Vector<float>(-3.33332819422e-1f);
        Vector<float> small = (p * z * x) + x;
        return Vector.ConditionalSelect(Vector.LessThan(magnitude, new Vector<float>(0.625f)), small, large);
    }

    /// <summary>ln(1 + e^x) as max(x, 0) + ln(1 + e^(−|x|)), which neither overflows nor loses small values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Softplus(Vector<float> x)
    {
        Vector<float> e = Exp(-Vector.Abs(x));
        return Vector.Max(x, Vector<float>.Zero) + LogOnePlusSmall(e);
    }

    /// <summary>2u = 2·√(2/π)·(x + 0.044715·x³), the argument for which GELU(x) = x·sigmoid(2u).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> GeluTwiceInner(Vector<float> x)
        => x * ((x * x * (2f * GeluScale * GeluCubic)) + new Vector<float>(2f * GeluScale));

    /// <summary>The derivative of <see cref="GeluTwiceInner"/>: 2·√(2/π)·(1 + 3·0.044715·x²).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> GeluTwiceInnerDerivative(Vector<float> x)
        => (x * x * (6f * GeluScale * GeluCubic)) + new Vector<float>(2f * GeluScale);

    /// <summary>
    /// ln(1 + e) for 0 ≤ e ≤ 1 as 2·atanh(s) with s = e / (2 + e) ≤ 1/3: the odd series 2s·(1 + s²/3 + s⁴/5 + ...)
    /// to s¹⁴ leaves a relative error below 2·10⁻⁹, and it is exact for small e where ln(1 + e) would round to 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> LogOnePlusSmall(Vector<float> e)
    {
        Vector<float> s = e / (new Vector<float>(2f) + e);
        Vector<float> s2 = s * s;
        Vector<float> p = new Vector<float>(1f / 15f);
        p = (p * s2) + new Vector<float>(1f / 13f);
        p = (p * s2) + new Vector<float>(1f / 11f);
        p = (p * s2) + new Vector<float>(1f / 9f);
        p = (p * s2) + new Vector<float>(1f / 7f);
        p = (p * s2) + new Vector<float>(1f / 5f);
        p = (p * s2) + new Vector<float>(1f / 3f);
        p = (p * s2) + Vector<float>.One;
        return (s + s) * p;
    }
}
