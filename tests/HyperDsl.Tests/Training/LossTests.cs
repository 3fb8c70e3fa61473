using System;
using System.Linq;
using HyperDsl.Tests.Hyper;
using HyperDsl.Tests.Numerics;
using HyperDsl.Tests.Reference;
using HyperDsl.Training;
using Xunit;

namespace HyperDsl.Tests.Training;

/// <summary>Each loss's value and gradient against the double-precision definitions, and stability at extreme logits.</summary>
[Trait("Category", "Numerics")]
public sealed class LossTests
{
    public static TheoryData<Loss> AllLosses => new(Enum.GetValues<Loss>());

    [Theory]
    [MemberData(nameof(AllLosses))]
    public void Value_and_gradient_match_the_definition(Loss loss)
    {
        const int samples = 7;
        const int outputs = 5;
        var random = new Random(12);
        float[] y = RandomData.Uniform(samples * outputs, -3f, 3f, random);
        float[] t = loss == Loss.MeanSquaredError ? RandomData.Uniform(samples * outputs, -2f, 2f, random)
            : loss == Loss.BinaryCrossEntropy ? RandomData.Uniform(samples * outputs, 0f, 1f, random)
            : new HyperBatchData(HyperCatalog_Reference(outputs), 1, samples, loss, 3).Targets;
        double[] targets = t.Select(v => (double)v).ToArray();
        double Value(double[] outputsValues) => ReferenceLosses.Value(loss, outputsValues, targets, samples, outputs);

        float[] gradient = new float[samples * outputs];
        float value = Losses.Evaluate(loss, y, t, samples, outputs, gradient, gradientScale: 0.5f);
        double[] point = y.Select(v => (double)v).ToArray();
        Assert.Equal(Value(point), value, 1e-5 * (1 + Math.Abs(value)));
        Assert.Equal(value, Losses.Value(loss, y, t, samples, outputs), 1e-5 * (1 + Math.Abs(value)));

        double[] expected = new double[point.Length];
        for (int i = 0; i < point.Length; i++)
        {
            double[] plus = (double[])point.Clone();
            double[] minus = (double[])point.Clone();
            plus[i] += 1e-6;
            minus[i] -= 1e-6;
            expected[i] = 0.5 * (Value(plus) - Value(minus)) / 2e-6;
        }

        Tolerance.AssertClose(gradient, expected, 1e-4, $"{loss} gradient");
    }

    [Fact]
    public void Extreme_logits_stay_finite()
    {
        float[] logits = { 1000f, -1000f, 0f, 88f, -90f, 300f };
        float[] probabilities = { 0f, 1f, 0f, 0.5f, 0.5f, 0f };
        float[] gradient = new float[6];
        float crossEntropy = Losses.Evaluate(Loss.SoftmaxCrossEntropy, logits, probabilities, 2, 3, gradient);
        // (1000 − (−1000)) and (300 − ½(88 − 90)) = 301, averaged over the two samples.
        Assert.Equal(1150.5f, crossEntropy, 1);
        Assert.All(gradient, g => Assert.True(float.IsFinite(g)));

        float binary = Losses.Evaluate(Loss.BinaryCrossEntropy, logits, probabilities, 1, 6, gradient);
        Assert.True(float.IsFinite(binary));
        Assert.All(gradient, g => Assert.True(float.IsFinite(g)));
    }

    [Fact]
    public void Outputs_without_a_target_take_no_part_in_the_masked_cross_entropy()
    {
        // Two samples of three heads of two outputs; sample 0 is scored on head 1, sample 1 on head 2.
        float[] targets = { float.NaN, float.NaN, 0.25f, 0.75f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, 1f, 0f };
        float[] logits = { 1e30f, -1e30f, 2f, -1f, 500f, 0f, -3e38f, 3e38f, 7f, float.MaxValue, 0.5f, 1.5f };
        float[] gradient = new float[12];
        float masked = Losses.Evaluate(Loss.MaskedSoftmaxCrossEntropy, logits, targets, 2, 6, gradient);

        // The same samples through the plain cross-entropy on the heads alone, and the definition by hand.
        float[] headLogits = { 2f, -1f, 0.5f, 1.5f };
        float[] headTargets = { 0.25f, 0.75f, 1f, 0f };
        float[] headGradient = new float[4];
        float plain = Losses.Evaluate(Loss.SoftmaxCrossEntropy, headLogits, headTargets, 2, 2, headGradient);
        double first = Math.Log(Math.Exp(2) + Math.Exp(-1)) - ((0.25 * 2) + (0.75 * -1));
        double second = Math.Log(Math.Exp(0.5) + Math.Exp(1.5)) - 0.5;
        Assert.Equal((first + second) / 2, masked, 1e-6);
        Assert.Equal(plain, masked, 1e-6);
        int[] onHeads = { 2, 3, 10, 11 };
        for (int i = 0; i < onHeads.Length; i++)
        {
            Assert.Equal(headGradient[i], gradient[onHeads[i]], 1e-6);
        }

        Assert.All(new[] { 0, 1, 4, 5, 6, 7, 8, 9 }, i => Assert.Equal(0f, gradient[i]));
        Assert.Equal(masked, Losses.Value(Loss.MaskedSoftmaxCrossEntropy, logits, targets, 2, 6), 1e-6);
    }

    [Fact]
    public void Masked_targets_need_a_head_in_every_sample_and_no_infinities()
    {
        float[] noHead = { 1f, 0f, float.NaN, float.NaN };
        var exception = Assert.Throws<ArgumentException>(() => Losses.Evaluate(Loss.MaskedSoftmaxCrossEntropy, new float[4], noHead, 2, 2, new float[4]));
        Assert.Equal("targets", exception.ParamName);
        Assert.Contains("sample 1 has no output with a target", exception.Message);
        float[] infinite = { float.PositiveInfinity, float.NaN, 1f, 0f };
        exception = Assert.Throws<ArgumentException>(() => Losses.Value(Loss.MaskedSoftmaxCrossEntropy, new float[4], infinite, 2, 2));
        Assert.Contains("targets[0] is Infinity", exception.Message);
    }

    [Fact]
    public void Short_spans_and_undefined_losses_are_named()
    {
        var exception = Assert.Throws<ArgumentException>(() => Losses.Evaluate(Loss.MeanSquaredError, new float[5], new float[6], 2, 3, new float[6]));
        Assert.Equal("outputs", exception.ParamName);
        Assert.Throws<ArgumentException>(() => Losses.Value((Loss)9, new float[6], new float[6], 2, 3));
    }

    private static ReferenceHyperNetwork HyperCatalog_Reference(int outputs)
        => new(new ReferenceNetwork(1, new[] { (outputs, Activation.Identity) }), tasks: 1, embeddingSize: 1);
}
