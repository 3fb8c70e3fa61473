using System;
using System.Linq;
using HyperDsl.Tests.Numerics;
using Xunit;

namespace HyperDsl.Tests.Reference;

/// <summary>
/// The oracle checked against calculus: its Backward must equal central finite differences of its Forward, in double
/// precision, for every activation — otherwise agreeing with it would prove nothing.
/// </summary>
public sealed class ReferenceGradientTests
{
    public static TheoryData<Activation> Activations => new(Enum.GetValues<Activation>());

    [Theory]
    [MemberData(nameof(Activations))]
    public void Reference_backward_equals_central_finite_differences(Activation activation)
    {
        var reference = new ReferenceNetwork(3, new[] { (4, activation), (5, Activation.Tanh), (2, activation) });
        const int batch = 3;
        var random = new Random(42 + (int)activation);
        double[] parameters = RandomData.Parameters(reference, random).Select(v => (double)v).ToArray();
        double[] inputs = RandomData.Uniform(batch * 3, -1.5f, 1.5f, random).Select(v => (double)v).ToArray();
        double[] outputGradients = RandomData.Uniform(batch * 2, -1f, 1f, random).Select(v => (double)v).ToArray();

        // L = Σ outputGradients ⊙ outputs, so that ∂L/∂outputs = outputGradients.
        double Loss(double[] p, double[] x) => reference.Forward(p, x, batch).Zip(outputGradients, (y, g) => y * g).Sum();

        (double[] parameterGradients, double[] inputGradients) = reference.Backward(parameters, inputs, outputGradients, batch);
        AssertMatchesFiniteDifferences(parameterGradients, parameters, p => Loss(p, inputs), "parameters");
        AssertMatchesFiniteDifferences(inputGradients, inputs, x => Loss(parameters, x), "inputs");
    }

    [Fact]
    public void Finite_differences_catch_a_wrong_gradient()
    {
        // The check itself must be able to fail: a gradient off by 1% is rejected.
        double[] point = { 0.3, -0.7 };
        double Function(double[] v) => (v[0] * v[0]) + Math.Sin(v[1]);
        double[] wrong = { 2 * 0.3 * 1.01, Math.Cos(-0.7) };
        Assert.ThrowsAny<Exception>(() => AssertMatchesFiniteDifferences(wrong, point, Function, "probe"));
    }

    private static void AssertMatchesFiniteDifferences(double[] analytic, double[] point, Func<double[], double> function, string what)
    {
        const double h = 1e-6;
        for (int k = 0; k < point.Length; k++)
        {
            double[] plus = (double[])point.Clone();
            double[] minus = (double[])point.Clone();
            plus[k] += h;
            minus[k] -= h;
            double numeric = (function(plus) - function(minus)) / (2 * h);
            double allowed = 1e-6 * (1 + Math.Abs(numeric));
            Assert.True(
                Math.Abs(numeric - analytic[k]) <= allowed,
                $"{what}[{k}]: analytic {analytic[k]:R}, central difference {numeric:R}");
        }
    }
}
