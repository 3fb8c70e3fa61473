using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.InteropServices;

namespace HyperDsl.Kernels;

/// <summary>
/// Vectorised activation functions and their derivatives over spans of floats. Support for generated code, which
/// fuses Identity, Relu and LeakyRelu into its matrix kernels and calls these for the others.
/// </summary>
/// <remarks>
/// Each function is one pass over memory with <see cref="Vector{T}"/>; the last partial vector is computed on a
/// zero-padded copy, so every element goes through the same vector formula whatever the length.
/// Forward functions take the pre-activations z and write f(z); <c>output</c> may be the same span as the
/// input. Backward functions multiply incoming gradients by f′ and write the result; <c>result</c> may be the same
/// span as <c>gradients</c>. Derivatives of Relu, LeakyRelu, Tanh, Sigmoid and Elu are computed from the activations
/// f(z); those of Gelu, Silu and Softplus from the pre-activations z.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ActivationKernels
{
    /// <summary>
    /// The negative slope of LeakyRelu, PyTorch's default: the one definition, which generated kernels, these functions
    /// and the ONNX export read.
    /// </summary>
    public const float LeakyReluSlope = 0.01f;

    /// <summary>
    /// y = x + f for a residual layer, and the residual's gradient in the backward pass (∂L/∂x = the layer's own
    /// input gradient + ∂L/∂y); <paramref name="sum"/> may be either operand's memory.
    /// </summary>
    /// <param name="x">The layer's input, or the gradient carried past it.</param>
    /// <param name="f">The layer's function of x, or its input gradient.</param>
    /// <param name="sum">Receives their sum.</param>
    public static void AddResidual(ReadOnlySpan<float> x, ReadOnlySpan<float> f, Span<float> sum) => System.Numerics.Tensors.TensorPrimitives.Add(x, f, sum);

    /// <summary>Writes max(z, 0).</summary>
    /// <param name="preActivations">The pre-activations z.</param>
    /// <param name="output">Receives f(z); may be <paramref name="preActivations"/>.</param>
    public static void Relu(ReadOnlySpan<float> preActivations, Span<float> output) => Map<ReluOperator>(preActivations, output);

    /// <summary>Writes z for z &gt; 0, 0.01·z otherwise.</summary>
    /// <inheritdoc cref="Relu(ReadOnlySpan{float}, Span{float})"/>
    public static void LeakyRelu(ReadOnlySpan<float> preActivations, Span<float> output) => Map<LeakyReluOperator>(preActivations, output);

    /// <summary>Writes tanh(z).</summary>
    /// <inheritdoc cref="Relu(ReadOnlySpan{float}, Span{float})"/>
    public static void Tanh(ReadOnlySpan<float> preActivations, Span<float> output) => Map<TanhOperator>(preActivations, output);

    /// <summary>Writes 1 / (1 + e^(−z)).</summary>
    /// <inheritdoc cref="Relu(ReadOnlySpan{float}, Span{float})"/>
    public static void Sigmoid(ReadOnlySpan<float> preActivations, Span<float> output) => Map<SigmoidOperator>(preActivations, output);

    /// <summary>Writes the tanh approximation of GELU, ½·z·(1 + tanh(√(2/π)·(z + 0.044715·z³))).</summary>
    /// <inheritdoc cref="Relu(ReadOnlySpan{float}, Span{float})"/>
    public static void Gelu(ReadOnlySpan<float> preActivations, Span<float> output) => Map<GeluOperator>(preActivations, output);

    /// <summary>Writes z·sigmoid(z).</summary>
    /// <inheritdoc cref="Relu(ReadOnlySpan{float}, Span{float})"/>
    public static void Silu(ReadOnlySpan<float> preActivations, Span<float> output) => Map<SiluOperator>(preActivations, output);

    /// <summary>Writes ln(1 + e^z).</summary>
    /// <inheritdoc cref="Relu(ReadOnlySpan{float}, Span{float})"/>
    public static void Softplus(ReadOnlySpan<float> preActivations, Span<float> output) => Map<SoftplusOperator>(preActivations, output);

    /// <summary>Writes z for z &gt; 0, e^z − 1 otherwise (ELU with α = 1).</summary>
    /// <inheritdoc cref="Relu(ReadOnlySpan{float}, Span{float})"/>
    public static void Elu(ReadOnlySpan<float> preActivations, Span<float> output) => Map<EluOperator>(preActivations, output);

    /// <summary>Writes gradients·Relu′, with Relu′ = 1 where the activation is positive, else 0.</summary>
    /// <param name="activations">The activations f(z) of the forward pass.</param>
    /// <param name="gradients">The gradients with respect to the activations.</param>
    /// <param name="result">Receives the gradients with respect to z; may be <paramref name="gradients"/>.</param>
    public static void ReluBackward(ReadOnlySpan<float> activations, ReadOnlySpan<float> gradients, Span<float> result)
        => Map<ReluDerivativeOperator>(activations, gradients, result);

    /// <summary>Writes gradients·LeakyRelu′, with LeakyRelu′ = 1 where the activation is positive, else 0.01.</summary>
    /// <inheritdoc cref="ReluBackward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>
    public static void LeakyReluBackward(ReadOnlySpan<float> activations, ReadOnlySpan<float> gradients, Span<float> result)
        => Map<LeakyReluDerivativeOperator>(activations, gradients, result);

    /// <summary>Writes gradients·(1 − a²), with a = tanh(z).</summary>
    /// <inheritdoc cref="ReluBackward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>
    public static void TanhBackward(ReadOnlySpan<float> activations, ReadOnlySpan<float> gradients, Span<float> result)
        => Map<TanhDerivativeOperator>(activations, gradients, result);

    /// <summary>Writes gradients·a·(1 − a), with a = sigmoid(z).</summary>
    /// <inheritdoc cref="ReluBackward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>
    public static void SigmoidBackward(ReadOnlySpan<float> activations, ReadOnlySpan<float> gradients, Span<float> result)
        => Map<SigmoidDerivativeOperator>(activations, gradients, result);

    /// <summary>Writes gradients·Elu′, with Elu′ = 1 where the activation a is positive, else a + 1 (= e^z).</summary>
    /// <inheritdoc cref="ReluBackward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>
    public static void EluBackward(ReadOnlySpan<float> activations, ReadOnlySpan<float> gradients, Span<float> result)
        => Map<EluDerivativeOperator>(activations, gradients, result);

    /// <summary>Writes gradients·Gelu′(z).</summary>
    /// <param name="preActivations">The pre-activations z of the forward pass.</param>
    /// <param name="gradients">The gradients with respect to the activations.</param>
    /// <param name="result">Receives the gradients with respect to z; may be <paramref name="gradients"/>.</param>
    public static void GeluBackward(ReadOnlySpan<float> preActivations, ReadOnlySpan<float> gradients, Span<float> result)
        => Map<GeluDerivativeOperator>(preActivations, gradients, result);

    /// <summary>Writes gradients·Silu′(z).</summary>
    /// <inheritdoc cref="GeluBackward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>
    public static void SiluBackward(ReadOnlySpan<float> preActivations, ReadOnlySpan<float> gradients, Span<float> result)
        => Map<SiluDerivativeOperator>(preActivations, gradients, result);

    /// <summary>Writes gradients·sigmoid(z), the derivative of softplus.</summary>
    /// <inheritdoc cref="GeluBackward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>
    public static void SoftplusBackward(ReadOnlySpan<float> preActivations, ReadOnlySpan<float> gradients, Span<float> result)
        => Map<SoftplusDerivativeOperator>(preActivations, gradients, result);

    private interface IUnaryOperator
    {
        static abstract Vector<float> Invoke(Vector<float> x);
    }

    private interface IBinaryOperator
    {
        static abstract Vector<float> Invoke(Vector<float> x, Vector<float> y);
    }

    private static void Map<TOperator>(ReadOnlySpan<float> input, Span<float> output)
        where TOperator : IUnaryOperator
    {
        if (output.Length != input.Length)
        {
            ThrowLengthMismatch(nameof(output), output.Length, input.Length);
        }

        ref float x = ref MemoryMarshal.GetReference(input);
        ref float y = ref MemoryMarshal.GetReference(output);
        int length = input.Length;
        int count = Vector<float>.Count;
        int i = 0;
        for (; i <= length - count; i += count)
        {
            VectorMemory.Store(TOperator.Invoke(VectorMemory.Load(ref x, i)), ref y, i);
        }

        if (i < length)
        {
            // The tail goes through the same vector formula on a zero-padded copy.
            Span<float> tail = stackalloc float[count];
            input[i..].CopyTo(tail);
            VectorMemory.Store(TOperator.Invoke(VectorMemory.Load(ref MemoryMarshal.GetReference(tail), 0)), ref MemoryMarshal.GetReference(tail), 0);
            tail[..(length - i)].CopyTo(output[i..]);
        }
    }

    private static void Map<TOperator>(ReadOnlySpan<float> first, ReadOnlySpan<float> second, Span<float> output)
        where TOperator : IBinaryOperator
    {
        if (second.Length != first.Length)
        {
            ThrowLengthMismatch("gradients", second.Length, first.Length);
        }

        if (output.Length != first.Length)
        {
            ThrowLengthMismatch("result", output.Length, first.Length);
        }

        ref float x = ref MemoryMarshal.GetReference(first);
        ref float g = ref MemoryMarshal.GetReference(second);
        ref float y = ref MemoryMarshal.GetReference(output);
        int length = first.Length;
        int count = Vector<float>.Count;
        int i = 0;
        for (; i <= length - count; i += count)
        {
            VectorMemory.Store(TOperator.Invoke(VectorMemory.Load(ref x, i), VectorMemory.Load(ref g, i)), ref y, i);
        }

        if (i < length)
        {
            Span<float> tail = stackalloc float[2 * count];
            first[i..].CopyTo(tail);
            second[i..].CopyTo(tail[count..]);
            ref float t = ref MemoryMarshal.GetReference(tail);
            VectorMemory.Store(TOperator.Invoke(VectorMemory.Load(ref t, 0), VectorMemory.Load(ref t, count)), ref t, 0);
            tail[..(length - i)].CopyTo(output[i..]);
        }
    }

    private static void ThrowLengthMismatch(string argument, int length, int expected)
        => throw new ArgumentException($"{argument} holds {length} floats, but the input holds {expected}; they must match.", argument);

    private readonly struct ReluOperator : IUnaryOperator
    {
        public static Vector<float> Invoke(Vector<float> x) => Vector.Max(x, Vector<float>.Zero);
    }

    private readonly struct LeakyReluOperator : IUnaryOperator
    {
        public static Vector<float> Invoke(Vector<float> x) => Vector.Max(x, x * LeakyReluSlope);
    }

    private readonly struct TanhOperator : IUnaryOperator
    {
        public static Vector<float> Invoke(Vector<float> x) => VectorMath.Tanh(x);
    }

    private readonly struct SigmoidOperator : IUnaryOperator
    {
        public static Vector<float> Invoke(Vector<float> x) => VectorMath.Sigmoid(x);
    }

    private readonly struct GeluOperator : IUnaryOperator
    {
        // ½·z·(1 + tanh(u)) = z·sigmoid(2u): the same value without the cancellation of 1 + tanh(u) for z ≪ 0.
        public static Vector<float> Invoke(Vector<float> x) => x * VectorMath.Sigmoid(VectorMath.GeluTwiceInner(x));
    }

    private readonly struct SiluOperator : IUnaryOperator
    {
        public static Vector<float> Invoke(Vector<float> x) => x * VectorMath.Sigmoid(x);
    }

    private readonly struct SoftplusOperator : IUnaryOperator
    {
        public static Vector<float> Invoke(Vector<float> x) => VectorMath.Softplus(x);
    }

    private readonly struct EluOperator : IUnaryOperator
    {
        public static Vector<float> Invoke(Vector<float> x)
            => Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<float>.Zero), x, VectorMath.ExpMinusOne(Vector.Min(x, Vector<float>.Zero)));
    }

    private readonly struct ReluDerivativeOperator : IBinaryOperator
    {
        public static Vector<float> Invoke(Vector<float> a, Vector<float> g)
            => Vector.ConditionalSelect(Vector.GreaterThan(a, Vector<float>.Zero), g, Vector<float>.Zero);
    }

    private readonly struct LeakyReluDerivativeOperator : IBinaryOperator
    {
        public static Vector<float> Invoke(Vector<float> a, Vector<float> g)
            => Vector.ConditionalSelect(Vector.GreaterThan(a, Vector<float>.Zero), g, g * LeakyReluSlope);
    }

    private readonly struct TanhDerivativeOperator : IBinaryOperator
    {
        public static Vector<float> Invoke(Vector<float> a, Vector<float> g) => g * (Vector<float>.One - (a * a));
    }

    private readonly struct SigmoidDerivativeOperator : IBinaryOperator
    {
        public static Vector<float> Invoke(Vector<float> a, Vector<float> g) => g * (a * (Vector<float>.One - a));
    }

    private readonly struct EluDerivativeOperator : IBinaryOperator
    {
        public static Vector<float> Invoke(Vector<float> a, Vector<float> g)
            => Vector.ConditionalSelect(Vector.GreaterThan(a, Vector<float>.Zero), g, g * (a + Vector<float>.One));
    }

    private readonly struct GeluDerivativeOperator : IBinaryOperator
    {
        public static Vector<float> Invoke(Vector<float> z, Vector<float> g)
        {
            // f = z·s with s = sigmoid(2u), 2u = 2c·(z + k·z³): f′ = s + z·s·(1 − s)·2c·(1 + 3k·z²).
            Vector<float> s = VectorMath.Sigmoid(VectorMath.GeluTwiceInner(z));
            Vector<float> innerSlope = VectorMath.GeluTwiceInnerDerivative(z);
            return g * (s + (z * s * (Vector<float>.One - s) * innerSlope));
        }
    }

    private readonly struct SiluDerivativeOperator : IBinaryOperator
    {
        public static Vector<float> Invoke(Vector<float> z, Vector<float> g)
        {
            Vector<float> s = VectorMath.Sigmoid(z);
            return g * (s * (Vector<float>.One + (z * (Vector<float>.One - s))));
        }
    }

    private readonly struct SoftplusDerivativeOperator : IBinaryOperator
    {
        public static Vector<float> Invoke(Vector<float> z, Vector<float> g) => g * VectorMath.Sigmoid(z);
    }
}
