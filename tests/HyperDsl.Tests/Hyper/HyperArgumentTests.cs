using System;
using System.Linq;
using HyperDsl.Kernels;
using HyperDsl.Tests.Networks;
using Xunit;

namespace HyperDsl.Tests.Hyper;

/// <summary>Bad input to a hypernetwork is a clear exception that names the problem, and θ and its gradients stay as they were.</summary>
public sealed class HyperArgumentTests
{
    private readonly FullEmbeddingHyper embedded = new(maxTasks: 3, maxSamplesPerTask: 2);
    private readonly FullConditionHyper conditioned = new(maxTasks: 3, maxSamplesPerTask: 2);

    public HyperArgumentTests()
    {
        embedded.Initialize(1);
        conditioned.Initialize(2);
        embedded.Gradients.Fill(0.5f);
        conditioned.Gradients.Fill(0.25f);
    }

    [Fact]
    public void A_task_id_out_of_range_is_named()
    {
        AssertRejected(embedded, "task id 3 (task 1 of the batch) is out of range; ids run from 0 to 2", () =>
            embedded.ComputeGradients(new TaskBatch(new[] { 0, 3 }, new float[8], new float[8], 2), Loss.MeanSquaredError));
        AssertRejected(embedded, "task id -1", () =>
            embedded.ComputeGradients(new TaskBatch(new[] { -1 }, new float[4], new float[4], 2), Loss.MeanSquaredError));
        Assert.Throws<ArgumentOutOfRangeException>(() => embedded.Generate(3, new float[TinyTarget.ParameterCount]));
    }

    [Fact]
    public void A_condition_of_the_wrong_size_is_named()
    {
        AssertRejected(conditioned, "conditions hold 7 floats; 2 tasks × ConditionSize 3 = 6 are needed", () =>
            conditioned.ComputeGradients(new TaskBatch(new[] { 0, 1 }, new float[8], new float[8], 2, new float[7]), Loss.MeanSquaredError));
        AssertRejected(embedded, "takes none (ConditionSize is 0)", () =>
            embedded.ComputeGradients(new TaskBatch(new[] { 0 }, new float[4], new float[4], 2, new float[1]), Loss.MeanSquaredError));
        Assert.Throws<ArgumentException>(() => conditioned.Generate(new float[2], new float[TinyTarget.ParameterCount]));
    }

    [Fact]
    public void A_batch_larger_than_the_capacity_is_refused()
    {
        AssertRejected(embedded, "holds 4 tasks; this instance was built for 1 to 3", () =>
            embedded.ComputeGradients(new TaskBatch(new[] { 0, 1, 2, 0 }, new float[16], new float[16], 2), Loss.MeanSquaredError));
        AssertRejected(embedded, "has 3 samples per task; this instance was built for 1 to 2", () =>
            embedded.ComputeGradients(new TaskBatch(new[] { 0 }, new float[6], new float[6], 3), Loss.MeanSquaredError));
    }

    [Fact]
    public void Inputs_and_targets_must_match_the_batch_and_be_finite()
    {
        AssertRejected(embedded, "batch.Inputs holds 7 floats; 4 samples × InputSize 2 = 8 are needed", () =>
            embedded.ComputeGradients(new TaskBatch(new[] { 0, 1 }, new float[7], new float[8], 2), Loss.MeanSquaredError));
        float[] inputs = new float[8];
        inputs[5] = float.NaN;
        AssertRejected(embedded, "batch.Inputs[5] is NaN", () =>
            embedded.ComputeGradients(new TaskBatch(new[] { 0, 1 }, inputs, new float[8], 2), Loss.MeanSquaredError));
        float[] targets = new float[8];
        targets[7] = float.PositiveInfinity;
        AssertRejected(embedded, "batch.Targets[7] is Infinity", () =>
            embedded.ComputeGradients(new TaskBatch(new[] { 0, 1 }, new float[8], targets, 2), Loss.MeanSquaredError));
        AssertRejected(embedded, "42 is not a member of HyperDsl.Loss", () =>
            embedded.ComputeGradients(new TaskBatch(new[] { 0 }, new float[4], new float[4], 2), (Loss)42));
    }

    /// <summary>A hypernetwork over an image target with shared layers checks the same things, with the image's sizes.</summary>
    [Fact]
    public void Only_the_masked_cross_entropy_takes_NaN_targets_and_each_sample_needs_one()
    {
        float[] heads = { 1f, float.NaN, float.NaN, 1f, 0f, 1f, 1f, float.NaN };
        AssertRejected(embedded, "batch.Targets[1] is NaN", () =>
            embedded.ComputeGradients(new TaskBatch(new[] { 0, 1 }, new float[8], heads, 2), Loss.SoftmaxCrossEntropy));
        float[] noHead = { 1f, float.NaN, float.NaN, float.NaN, 0f, 1f, 1f, 0f };
        AssertRejected(embedded, "batch.Targets: sample 1 has no output with a target (all 2 are NaN)", () =>
            embedded.ComputeGradients(new TaskBatch(new[] { 0, 1 }, new float[8], noHead, 2), Loss.MaskedSoftmaxCrossEntropy));
        float[] infinite = { 1f, float.NaN, float.NaN, 1f, 0f, float.NegativeInfinity, 1f, 0f };
        AssertRejected(embedded, "batch.Targets[5] is -Infinity; under MaskedSoftmaxCrossEntropy a target is finite, or NaN", () =>
            embedded.ComputeGradients(new TaskBatch(new[] { 0, 1 }, new float[8], infinite, 2), Loss.MaskedSoftmaxCrossEntropy));

        float loss = embedded.ComputeGradients(new TaskBatch(new[] { 0, 1 }, new float[8], heads, 2), Loss.MaskedSoftmaxCrossEntropy);
        Assert.True(float.IsFinite(loss));
    }

    [Fact]
    public void An_image_hypernetwork_with_shared_layers_refuses_bad_input_and_changes_nothing()
    {
        var model = new SharedFullHyper(maxTasks: 2, maxSamplesPerTask: 2);
        model.Initialize(4);
        model.Gradients.Fill(0.5f);
        int inputs = 2 * 2 * MixedSharingNet.InputSize, targets = 2 * 2 * MixedSharingNet.OutputSize;
        AssertRejected(model, "task id 3 (task 1 of the batch) is out of range; ids run from 0 to 2", () =>
            model.ComputeGradients(new TaskBatch(new[] { 0, 3 }, new float[inputs], new float[targets], 2), Loss.MeanSquaredError));
        AssertRejected(model, $"batch.Inputs holds {inputs - 1} floats; 4 samples × InputSize 36 = {inputs} are needed", () =>
            model.ComputeGradients(new TaskBatch(new[] { 0, 1 }, new float[inputs - 1], new float[targets], 2), Loss.MeanSquaredError));
        float[] image = new float[inputs];
        image[100] = float.NaN;
        AssertRejected(model, "batch.Inputs[100] is NaN", () =>
            model.ComputeGradients(new TaskBatch(new[] { 0, 1 }, image, new float[targets], 2), Loss.MeanSquaredError));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Generate(3, new float[MixedSharingNet.ParameterCount]));
        var exception = Assert.ThrowsAny<ArgumentException>(() => model.Generate(0, new float[MixedSharingNet.ParameterCount - 1]));
        Assert.Contains($"{MixedSharingNet.ParameterCount}", exception.Message);
    }

    [Fact]
    public void Capacities_below_one_are_refused()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new SineHyper(maxTasks: 0, maxSamplesPerTask: 10));
        Assert.Equal("maxTasks", exception.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SineHyper(maxTasks: 1, maxSamplesPerTask: -1));
    }

    [Fact]
    public void The_generated_split_passes_check_their_ranges_and_lengths()
    {
        // The passes a two-thread step is made of, as the runtime reaches them. FullConditionHyper's g: 3 inputs,
        // two hidden layers, a head of 3 inputs.
        var decoder = (IDecoderKernels)typeof(HyperNetworkModel<TinyTarget>)
            .GetField("decoder", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .GetValue(conditioned)!;
        float[] g = new float[FullConditionHyper.ParameterCount];
        float[] inputs = new float[2 * 3];
        float[] workspace = new float[64];
        float[] outputs = new float[2 * TinyTarget.ParameterCount];
        float[] headInputGradients = new float[2 * 3];

        var beyond = Assert.Throws<ArgumentOutOfRangeException>(() => decoder.ForwardHead(g, inputs, 2, workspace, 1, 4, withBias: true, outputs));
        Assert.Contains("FullConditionHyper.Decoder.ForwardHead: the head inputs [1, 4) do not lie within [0, 3)", beyond.Message);
        var backwards = Assert.Throws<ArgumentOutOfRangeException>(() =>
            decoder.BackwardHead(g, inputs, outputs, 2, workspace, new float[g.Length], headInputGradients, 2, 1, withBias: false));
        Assert.Contains("FullConditionHyper.Decoder.BackwardHead: the head inputs [2, 1)", backwards.Message);
        var shortGradients = Assert.ThrowsAny<ArgumentException>(() =>
            decoder.BackwardHead(g, inputs, outputs, 2, workspace, new float[g.Length], new float[5], 0, 3, withBias: true));
        Assert.Contains("headInputGradients", shortGradients.Message);
        var noRows = Assert.Throws<ArgumentOutOfRangeException>(() => decoder.ForwardBody(g, inputs, 0, workspace));
        Assert.Contains("FullConditionHyper.Decoder.ForwardBody", noRows.Message);
        var shortInputs = Assert.ThrowsAny<ArgumentException>(() => decoder.BackwardBody(g, new float[5], 2, workspace, headInputGradients, new float[g.Length], Span<float>.Empty, new float[64]));
        Assert.Contains("inputs", shortInputs.Message);
    }

    private static void AssertRejected(IHyperModel model, string message, Action call)
    {
        float[] parameters = model.Parameters.ToArray();
        float[] gradients = model.Gradients.ToArray();
        var exception = Assert.ThrowsAny<ArgumentException>(call);
        Assert.Contains(message, exception.Message);
        Assert.True(model.Parameters.SequenceEqual(parameters), "θ changed");
        Assert.True(model.Gradients.SequenceEqual(gradients), "the gradients changed");
    }
}
