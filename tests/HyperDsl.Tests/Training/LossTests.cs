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
    public void Short_spans_and_undefined_losses_are_named()
    {
        var exception = Assert.Throws<ArgumentException>(() => Losses.Evaluate(Loss.MeanSquaredError, new float[5], new float[6], 2, 3, new float[6]));
        Assert.Equal("outputs", exception.ParamName);
        Assert.Throws<ArgumentException>(() => Losses.Value((Loss)9, new float[6], new float[6], 2, 3));
    }

    private static ReferenceHyperNetwork HyperCatalog_Reference(int outputs)
        => new(new ReferenceNetwork(1, new[] { (outputs, Activation.Identity) }), tasks: 1, embeddingSize: 1);
}
