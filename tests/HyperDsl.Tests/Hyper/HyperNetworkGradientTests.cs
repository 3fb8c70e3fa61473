using System;
using System.Linq;
using HyperDsl.Tests.Numerics;
using HyperDsl.Tests.Reference;
using Xunit;

namespace HyperDsl.Tests.Hyper;

/// <summary>
/// ComputeGradients against central finite differences of the double-precision reference's loss, for full and chunked
/// hypernetworks with each conditioning and each loss; Generate, Predict and the embedding gradient likewise.
/// </summary>
[Trait("Category", "Numerics")]
public sealed class HyperNetworkGradientTests
{
    private const double Step = 1e-6;

    [Theory]
    [MemberData(nameof(HyperCatalog.NamesAndLosses), MemberType = typeof(HyperCatalog))]
    public void ComputeGradients_matches_finite_differences_of_the_reference(string name, Loss loss)
    {
        (IHyperModel model, ReferenceHyperNetwork reference) = HyperCatalog.Create(name, maxTasks: 4, maxSamplesPerTask: 3);
        model.Initialize(seed: 11);
        var data = new HyperBatchData(reference, tasks: 3, samples: 3, loss, seed: 5);
        AssertGradientsMatch(model, reference, data, loss, $"{name}, {loss}");
    }

    [Theory]
    [MemberData(nameof(HyperCatalog.Names), MemberType = typeof(HyperCatalog))]
    public void Two_threads_match_finite_differences_too(string name)
    {
        (IHyperModel model, ReferenceHyperNetwork reference) = HyperCatalog.Create(name, maxTasks: 4, maxSamplesPerTask: 3);
        model.Threads = 2;
        model.Initialize(seed: 13);
        var data = new HyperBatchData(reference, tasks: 3, samples: 3, Loss.MeanSquaredError, seed: 8);
        try
        {
            AssertGradientsMatch(model, reference, data, Loss.MeanSquaredError, $"{name}, two threads");
        }
        finally
        {
            model.Threads = 1;
        }
    }

    [Theory]
    [MemberData(nameof(HyperCatalog.Names), MemberType = typeof(HyperCatalog))]
    public void One_task_with_one_sample_matches_too(string name)
    {
        (IHyperModel model, ReferenceHyperNetwork reference) = HyperCatalog.Create(name, maxTasks: 1, maxSamplesPerTask: 1);
        model.Initialize(seed: 3);
        var data = new HyperBatchData(reference, tasks: 1, samples: 1, Loss.MeanSquaredError, seed: 9);
        AssertGradientsMatch(model, reference, data, Loss.MeanSquaredError, $"{name}, one task, one sample");
    }

    /// <summary>
    /// Xavier initialisation sets a chunked head's factors to 1: W is the head's output itself (plus a LayerNorm γ's
    /// offset), in Generate and in the gradient, checked after a few Adam steps have moved θ.
    /// </summary>
    [Theory]
    [MemberData(nameof(HyperCatalog.Names), MemberType = typeof(HyperCatalog))]
    public void Xavier_initialisation_generates_W_unscaled_and_matches_finite_differences(string name)
    {
        (IHyperModel model, ReferenceHyperNetwork scaled) = HyperCatalog.Create(name, maxTasks: 4, maxSamplesPerTask: 3);
        ReferenceHyperNetwork reference = scaled.WithUnscaledHead();
        model.Initialize(seed: 17, HyperfanInit.Xavier);
        var data = new HyperBatchData(reference, tasks: 3, samples: 3, Loss.MeanSquaredError, seed: 6);
        var adam = new HyperDsl.Training.Adam(model.ParameterCount, learningRate: 0.01f);
        for (int step = 0; step < 3; step++)
        {
            model.ComputeGradients(data.Batch, Loss.MeanSquaredError);
            adam.Step(model.Parameters, model.Gradients);
        }

        var random = new Random(2);
        float[] embedding = RandomData.Uniform(reference.EmbeddingSize, -1f, 1f, random);
        float[] condition = RandomData.Uniform(reference.ConditionSize, -1f, 1f, random);
        float[] weights = new float[reference.Target.ParameterCount];
        model.GenerateFromEmbedding(embedding, condition, weights);
        double[] expected = reference.Generate(HyperBatchData.ToDouble(model.Parameters), HyperBatchData.ToDouble(embedding), HyperBatchData.ToDouble(condition));
        Tolerance.AssertClose(weights, expected, 1e-4, $"{name}, Xavier: GenerateFromEmbedding");
        AssertGradientsMatch(model, reference, data, Loss.MeanSquaredError, $"{name}, Xavier");
    }

    [Theory]
    [MemberData(nameof(HyperCatalog.Names), MemberType = typeof(HyperCatalog))]
    public void Generated_weights_and_predictions_match_the_reference(string name)
    {
        (IHyperModel model, ReferenceHyperNetwork reference) = HyperCatalog.Create(name, maxTasks: 2, maxSamplesPerTask: 2);
        model.Initialize(seed: 21);
        double[] theta = HyperBatchData.ToDouble(model.Parameters);
        var random = new Random(4);
        float[] embedding = RandomData.Uniform(reference.EmbeddingSize, -1f, 1f, random);
        float[] condition = RandomData.Uniform(reference.ConditionSize, -1f, 1f, random);
        double[] expected = reference.Generate(theta, HyperBatchData.ToDouble(embedding), HyperBatchData.ToDouble(condition));

        float[] weights = new float[reference.Target.ParameterCount];
        model.GenerateFromEmbedding(embedding, condition, weights);
        Tolerance.AssertClose(weights, expected, 1e-4, $"{name}: GenerateFromEmbedding");

        // More samples than the capacity per task: Predict runs them in blocks.
        const int samples = 5;
        float[] inputs = RandomData.Uniform(samples * reference.Target.InputSize, -1f, 1f, random);
        float[] outputs = new float[samples * reference.Target.OutputSize];
        model.Predict(embedding, condition, inputs, samples, outputs);
        Tolerance.AssertClose(outputs, reference.Target.Forward(expected, HyperBatchData.ToDouble(inputs), samples), 1e-4, $"{name}: Predict");
    }

    [Theory]
    [InlineData("FullEmbeddingHyper")]
    [InlineData("FullBothHyper")]
    [InlineData("ChunkedEmbeddingHyper")]
    [InlineData("ChunkedBothHyper")]
    public void The_embedding_gradient_matches_finite_differences_and_leaves_theta_alone(string name)
    {
        (IHyperModel model, ReferenceHyperNetwork reference) = HyperCatalog.Create(name, maxTasks: 2, maxSamplesPerTask: 4);
        model.Initialize(seed: 8);
        var random = new Random(6);
        float[] embedding = RandomData.Uniform(reference.EmbeddingSize, -1f, 1f, random);
        float[] condition = RandomData.Uniform(reference.ConditionSize, -1f, 1f, random);
        float[] inputs = RandomData.Uniform(4 * reference.Target.InputSize, -1f, 1f, random);
        float[] targets = RandomData.Uniform(4 * reference.Target.OutputSize, -1f, 1f, random);
        float[] parametersBefore = model.Parameters.ToArray();
        float[] gradientsBefore = model.Gradients.ToArray();

        float[] gradient = new float[reference.EmbeddingSize];
        float value = model.ComputeEmbeddingGradient(embedding, condition, inputs, targets, 4, Loss.MeanSquaredError, gradient);

        double[] theta = HyperBatchData.ToDouble(model.Parameters);
        double[] conditionDouble = HyperBatchData.ToDouble(condition);
        double[] inputsDouble = HyperBatchData.ToDouble(inputs);
        double[] targetsDouble = HyperBatchData.ToDouble(targets);
        double TaskLoss(double[] z) => reference.TaskLoss(theta, z, conditionDouble, inputsDouble, targetsDouble, 4, Loss.MeanSquaredError);
        double[] z0 = HyperBatchData.ToDouble(embedding);
        Assert.Equal(TaskLoss(z0), value, 1e-4 * (1 + Math.Abs(value)));
        Tolerance.AssertClose(gradient, FiniteDifferences(z0, TaskLoss), 1e-3, $"{name}: embedding gradient");
        Assert.Equal(parametersBefore, model.Parameters.ToArray());
        Assert.Equal(gradientsBefore, model.Gradients.ToArray());
    }

    private static void AssertGradientsMatch(IHyperModel model, ReferenceHyperNetwork reference, HyperBatchData data, Loss loss, string what)
    {
        Assert.Equal(reference.ParameterCount, model.ParameterCount);
        float value = model.ComputeGradients(data.Batch, loss);
        double[] theta = HyperBatchData.ToDouble(model.Parameters);
        double[] inputs = HyperBatchData.ToDouble(data.Inputs);
        double[] targets = HyperBatchData.ToDouble(data.Targets);
        double[] conditions = HyperBatchData.ToDouble(data.Conditions);
        double MeanLoss(double[] parameters) => reference.Loss(parameters, data.TaskIds, inputs, targets, data.Samples, conditions, loss, data.Tasks);

        double expected = MeanLoss(theta);
        Assert.True(Math.Abs(value - expected) <= 1e-4 * (1 + Math.Abs(expected)), $"{what}: loss {value}, reference {expected}");
        Tolerance.AssertClose(model.Gradients, FiniteDifferences(theta, MeanLoss), 1e-3, $"{what}: ∂L/∂θ");
    }

    /// <summary>The central difference quotient of <paramref name="function"/> along each coordinate of <paramref name="point"/>, in steps of 1e-6.</summary>
    internal static double[] FiniteDifferences(double[] point, Func<double[], double> function)
    {
        var gradient = new double[point.Length];
        for (int i = 0; i < point.Length; i++)
        {
            double[] plus = (double[])point.Clone();
            double[] minus = (double[])point.Clone();
            plus[i] += Step;
            minus[i] -= Step;
            gradient[i] = (function(plus) - function(minus)) / (2 * Step);
        }

        return gradient;
    }
}
