using System;
using System.Linq;
using HyperDsl.Kernels;
using HyperDsl.Tests.Hyper;
using HyperDsl.Tests.Numerics;
using HyperDsl.Tests.Reference;
using Xunit;

namespace HyperDsl.Tests.Attention;

/// <summary>
/// The pre-LayerNorm attention block against a double-precision reference written from its definition: the forward
/// pass, and the parameter and input gradients against central finite differences of the reference, for one to several
/// heads and sets of 1 to 9 tokens; permutation equivariance, a softmax that stays exact for large logits, and
/// bit-for-bit repeats.
/// </summary>
[Trait("Category", "Numerics")]
public sealed class AttentionKernelTests
{
    public static TheoryData<int, int, int, int> Shapes => new()
    {
        { 8, 1, 12, 1 },
        { 8, 2, 12, 3 },
        { 8, 4, 6, 7 },
        { 12, 3, 16, 5 },
        { 4, 4, 3, 9 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_matches_the_reference(int features, int heads, int feedForward, int tokens)
    {
        var shape = new AttentionShape(features, heads, feedForward);
        var reference = new ReferenceAttention(features, heads, feedForward);
        Assert.Equal(reference.ParameterCount, shape.ParameterCount);
        var random = new Random((features * 31) + tokens);
        float[] parameters = Parameters(shape, random);
        float[] input = RandomData.Uniform(tokens * features, -1f, 1f, random);
        float[] output = Forward(shape, parameters, input, tokens, out _);
        double[] expected = reference.Forward(HyperBatchData.ToDouble(parameters), HyperBatchData.ToDouble(input), tokens);
        Tolerance.AssertClose(output, expected, 1e-4, $"d {features}, {heads} heads, f {feedForward}, {tokens} tokens");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Backward_matches_finite_differences_of_the_reference(int features, int heads, int feedForward, int tokens)
    {
        var shape = new AttentionShape(features, heads, feedForward);
        var reference = new ReferenceAttention(features, heads, feedForward);
        var random = new Random((features * 17) + tokens);
        float[] parameters = Parameters(shape, random);
        float[] input = RandomData.Uniform(tokens * features, -1f, 1f, random);
        float[] weights = RandomData.Uniform(tokens * features, -1f, 1f, random);
        Forward(shape, parameters, input, tokens, out float[] workspace);

        // L = Σ R ⊙ y, so ∂L/∂y = R; Backward adds to gradients already there.
        float[] before = RandomData.Uniform(shape.ParameterCount, -1f, 1f, random);
        float[] parameterGradients = (float[])before.Clone();
        float[] inputGradient = new float[tokens * features];
        AttentionKernels.Backward(shape, parameters, weights, tokens, workspace, parameterGradients, inputGradient, new float[shape.ScratchSize(tokens)]);

        double[] p = HyperBatchData.ToDouble(parameters);
        double[] x = HyperBatchData.ToDouble(input);
        double Loss(double[] q, double[] z) => reference.Forward(q, z, tokens).Zip(weights, (y, r) => y * r).Sum();
        double[] expectedParameters = HyperNetworkGradientTests.FiniteDifferences(p, q => Loss(q, x));
        double[] expectedInput = HyperNetworkGradientTests.FiniteDifferences(x, z => Loss(p, z));
        Tolerance.AssertClose(parameterGradients.Zip(before, (g, b) => g - b).ToArray(), expectedParameters, 1e-3, "∂L/∂parameters");
        Tolerance.AssertClose(inputGradient, expectedInput, 1e-3, "∂L/∂x");
    }

    [Fact]
    public void Reordering_the_tokens_reorders_the_outputs_the_same_way()
    {
        var shape = new AttentionShape(8, 2, 10);
        var random = new Random(3);
        float[] parameters = Parameters(shape, random);
        float[] input = RandomData.Uniform(5 * 8, -1f, 1f, random);
        float[] output = Forward(shape, parameters, input, 5, out _);
        int[] order = { 3, 0, 4, 2, 1 };
        float[] permuted = order.SelectMany(t => input.Skip(t * 8).Take(8)).ToArray();
        float[] permutedOutput = Forward(shape, parameters, permuted, 5, out _);
        double[] expected = order.SelectMany(t => output.Skip(t * 8).Take(8)).Select(v => (double)v).ToArray();
        Tolerance.AssertClose(permutedOutput, expected, 1e-5, "permuted tokens");

        // And the tokens do interact: changing one changes the others' outputs.
        input[0] += 1f;
        float[] changed = Forward(shape, parameters, input, 5, out _);
        Assert.True(Enumerable.Range(8, 32).Max(i => Math.Abs(changed[i] - output[i])) > 1e-4, "other tokens' outputs should depend on token 0");
    }

    [Fact]
    public void Logits_in_the_hundreds_give_exact_weights_not_overflow()
    {
        var shape = new AttentionShape(8, 2, 6);
        var reference = new ReferenceAttention(8, 2, 6);
        var random = new Random(9);
        float[] parameters = Parameters(shape, random);

        // Queries and keys forty times larger: logits of several hundred.
        for (int i = shape.InProjectionWeights; i < shape.InProjectionBias; i++)
        {
            if ((i - shape.InProjectionWeights) % 24 < 16)
            {
                parameters[i] *= 40f;
            }
        }

        float[] input = RandomData.Uniform(4 * 8, -1f, 1f, random);
        float[] output = Forward(shape, parameters, input, 4, out float[] workspace);
        Assert.All(output, v => Assert.True(float.IsFinite(v)));
        Tolerance.AssertClose(output, reference.Forward(HyperBatchData.ToDouble(parameters), HyperBatchData.ToDouble(input), 4), 1e-3, "large logits");
    }

    [Fact]
    public void Two_runs_agree_bit_for_bit()
    {
        var shape = new AttentionShape(12, 3, 16);
        var random = new Random(5);
        float[] parameters = Parameters(shape, random);
        float[] input = RandomData.Uniform(6 * 12, -1f, 1f, random);
        float[] gradient = RandomData.Uniform(6 * 12, -1f, 1f, random);
        (float[] Output, float[] Parameters, float[] Input) Run()
        {
            float[] output = Forward(shape, parameters, input, 6, out float[] workspace);
            float[] parameterGradients = new float[shape.ParameterCount];
            float[] inputGradient = new float[6 * 12];
            AttentionKernels.Backward(shape, parameters, gradient, 6, workspace, parameterGradients, inputGradient, new float[shape.ScratchSize(6)]);
            return (output, parameterGradients, inputGradient);
        }

        var first = Run();
        var second = Run();
        Assert.Equal(first.Output, second.Output);
        Assert.Equal(first.Parameters, second.Parameters);
        Assert.Equal(first.Input, second.Input);
    }

    /// <summary>Parameters away from initialisation: γ around 1, everything else of either sign.</summary>
    private static float[] Parameters(AttentionShape shape, Random random)
    {
        float[] parameters = RandomData.Uniform(shape.ParameterCount, -0.5f, 0.5f, random);
        foreach (int scale in new[] { shape.Norm1Scale, shape.Norm2Scale })
        {
            for (int c = 0; c < shape.Features; c++)
            {
                parameters[scale + c] += 1f;
            }
        }

        return parameters;
    }

    private static float[] Forward(AttentionShape shape, float[] parameters, float[] input, int tokens, out float[] workspace)
    {
        workspace = new float[shape.WorkspaceSize(tokens)];
        float[] output = new float[tokens * shape.Features];
        AttentionKernels.Forward(shape, parameters, input, output, tokens, workspace);
        return output;
    }
}
