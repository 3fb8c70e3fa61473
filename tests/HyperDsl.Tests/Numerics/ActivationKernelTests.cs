using System;
using System.Linq;
using System.Numerics;
using HyperDsl.Kernels;
using HyperDsl.Tests.Reference;
using Xunit;

namespace HyperDsl.Tests.Numerics;

/// <summary>The vectorised activation kernels against the double-precision formulas, on every length of tail.</summary>
[Trait("Category", "Numerics")]
public sealed class ActivationKernelTests
{
    private const double Tolerance = 2e-6;

    public static TheoryData<Activation> Activations => new(Enum.GetValues<Activation>());

    /// <summary>Values across the range that matters, the neighbourhood of 0, and extremes that saturate.</summary>
    private static readonly float[] Probe = Enumerable.Range(0, 801).Select(i => -20f + (i * 0.05f))
        .Concat(new[] { 0f, -0f, 1e-7f, -1e-7f, 1e-3f, -1e-3f, 0.6249f, 0.6251f, -0.6251f, 30f, -30f, 87f, -87f, 88.5f, -88.5f, 100f, -100f, 1e4f, -1e4f })
        .ToArray();

    [Theory]
    [MemberData(nameof(Activations))]
    public void Forward_matches_the_formula(Activation activation)
    {
        float[] output = new float[Probe.Length];
        Forward(activation, Probe, output);
        AssertEachClose(output, Probe.Select(z => ReferenceActivations.Apply(activation, z)).ToArray(), _ => 1e-12, activation + " forward");
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void Backward_matches_the_derivative(Activation activation)
    {
        var random = new Random(3);
        float[] gradients = Probe.Select(_ => (random.NextSingle() * 2f) - 1f).ToArray();
        float[] source = DerivativeSource(activation, Probe);
        float[] result = new float[Probe.Length];
        Backward(activation, source, gradients, result);
        double[] expected = Probe.Select((z, k) => gradients[k] * ReferenceActivations.Derivative(activation, z)).ToArray();
        AssertEachClose(result, expected, k => Math.Abs(gradients[k]), activation + " backward");
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void Every_length_and_in_place_give_the_same_values(Activation activation)
    {
        // Lengths 0 .. 3 vectors + 3 cover the main loop, the zero-padded tail, and spans shorter than one vector.
        int maxLength = (3 * Vector<float>.Count) + 3;
        float[] all = new float[maxLength];
        Forward(activation, Probe.AsSpan(0, maxLength), all);
        for (int length = 0; length <= maxLength; length++)
        {
            float[] values = Probe.AsSpan(400 - (length / 2), length).ToArray();
            float[] expected = new float[length];
            Forward(activation, values, expected);
            float[] inPlace = (float[])values.Clone();
            Forward(activation, inPlace, inPlace);
            Assert.Equal(expected, inPlace);
            float[] longer = new float[maxLength];
            Probe.AsSpan(400 - (length / 2), length).CopyTo(longer);
            float[] longerOut = new float[maxLength];
            Forward(activation, longer, longerOut);
            Assert.Equal(expected, longerOut.AsSpan(0, length).ToArray());
        }
    }

    [Fact]
    public void Mismatched_lengths_are_rejected()
    {
        var exception = Assert.Throws<ArgumentException>(() => ActivationKernels.Tanh(new float[5], new float[4]));
        Assert.Contains("4", exception.Message);
        Assert.Throws<ArgumentException>(() => ActivationKernels.TanhBackward(new float[5], new float[5], new float[6]));
        Assert.Throws<ArgumentException>(() => ActivationKernels.GeluBackward(new float[5], new float[3], new float[5]));
    }

    private static float[] DerivativeSource(Activation activation, float[] z)
    {
        if (activation is Activation.Gelu or Activation.Silu or Activation.Softplus or Activation.Identity)
        {
            return z;
        }

        // Relu, LeakyRelu, Tanh, Sigmoid and Elu take the activations f(z), as the forward pass stores them.
        return z.Select(value => (float)ReferenceActivations.Apply(activation, value)).ToArray();
    }

    /// <summary>
    /// Each element within <see cref="Tolerance"/>·(|expected| + floor): the floor is where absolute precision is
    /// all that matters (values that underflow; derivatives that cross zero as differences of O(1) terms).
    /// </summary>
    private static void AssertEachClose(float[] actual, double[] expected, Func<int, double> floor, string what)
    {
        for (int k = 0; k < actual.Length; k++)
        {
            double allowed = Tolerance * (Math.Abs(expected[k]) + floor(k));
            Assert.True(
                Math.Abs(actual[k] - expected[k]) <= allowed,
                $"{what} at z = {Probe[k]:R}: {actual[k]:R}, expected {expected[k]:R}");
        }
    }

    private static void Forward(Activation activation, ReadOnlySpan<float> z, Span<float> output)
    {
        switch (activation)
        {
            case Activation.Identity: z.CopyTo(output); break;
            case Activation.Relu: ActivationKernels.Relu(z, output); break;
            case Activation.LeakyRelu: ActivationKernels.LeakyRelu(z, output); break;
            case Activation.Tanh: ActivationKernels.Tanh(z, output); break;
            case Activation.Sigmoid: ActivationKernels.Sigmoid(z, output); break;
            case Activation.Gelu: ActivationKernels.Gelu(z, output); break;
            case Activation.Silu: ActivationKernels.Silu(z, output); break;
            case Activation.Elu: ActivationKernels.Elu(z, output); break;
            default: ActivationKernels.Softplus(z, output); break;
        }
    }

    private static void Backward(Activation activation, ReadOnlySpan<float> source, ReadOnlySpan<float> gradients, Span<float> result)
    {
        switch (activation)
        {
            case Activation.Identity: gradients.CopyTo(result); break;
            case Activation.Relu: ActivationKernels.ReluBackward(source, gradients, result); break;
            case Activation.LeakyRelu: ActivationKernels.LeakyReluBackward(source, gradients, result); break;
            case Activation.Tanh: ActivationKernels.TanhBackward(source, gradients, result); break;
            case Activation.Sigmoid: ActivationKernels.SigmoidBackward(source, gradients, result); break;
            case Activation.Gelu: ActivationKernels.GeluBackward(source, gradients, result); break;
            case Activation.Silu: ActivationKernels.SiluBackward(source, gradients, result); break;
            case Activation.Elu: ActivationKernels.EluBackward(source, gradients, result); break;
            default: ActivationKernels.SoftplusBackward(source, gradients, result); break;
        }
    }
}
