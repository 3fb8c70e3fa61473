using System;
using System.Linq;
using HyperDsl.Tests.Networks;
using Xunit;

namespace HyperDsl.Tests;

/// <summary>
/// Bad arguments get an exception that names the argument and the sizes needed and given — before anything is written.
/// </summary>
public sealed class ArgumentCheckTests
{
    private const int Batch = 4;
    private const float Sentinel = 12345f;

    private readonly float[] parameters = Enumerable.Range(0, SineNet.ParameterCount).Select(i => (i % 7) * 0.01f).ToArray();
    private readonly float[] inputs = new float[Batch];
    private readonly float[] outputs = Filled(Batch);
    private readonly float[] outputGradients = new float[Batch];
    private readonly float[] workspace = Filled(SineNet.WorkspaceSize(Batch));
    private readonly float[] parameterGradients = Filled(SineNet.ParameterCount);
    private readonly float[] inputGradients = Filled(Batch);

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void A_batch_below_one_is_rejected(int batch)
    {
        var forward = Assert.Throws<ArgumentOutOfRangeException>(() => SineNet.Forward(parameters, inputs, outputs, batch, workspace));
        Assert.Equal("batch", forward.ParamName);
        Assert.Contains("SineNet.Forward", forward.Message);
        Assert.Contains($"was {batch}", forward.Message);

        var backward = Assert.Throws<ArgumentOutOfRangeException>(() =>
            SineNet.Backward(parameters, inputs, outputGradients, batch, workspace, parameterGradients, inputGradients));
        Assert.Equal("batch", backward.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => SineNet.WorkspaceSize(batch));
        AssertNothingWritten();
    }

    [Fact]
    public void Forward_rejects_spans_that_are_too_short_and_says_what_it_needs()
    {
        AssertRejected("parameters", "exactly ParameterCount = 1761", "holds 1760",
            () => SineNet.Forward(parameters.AsSpan(1), inputs, outputs, Batch, workspace));
        AssertRejected("inputs", "at least 4", "holds 3",
            () => SineNet.Forward(parameters, inputs.AsSpan(1), outputs, Batch, workspace));
        AssertRejected("outputs", "at least 4", "holds 2",
            () => SineNet.Forward(parameters, inputs, outputs.AsSpan(2), Batch, workspace));
        AssertRejected("workspace", $"at least {SineNet.WorkspaceSize(Batch)}", $"holds {SineNet.WorkspaceSize(Batch) - 1}",
            () => SineNet.Forward(parameters, inputs, outputs, Batch, workspace.AsSpan(1)));
        AssertNothingWritten();
    }

    [Fact]
    public void Backward_rejects_spans_that_are_too_short_and_says_what_it_needs()
    {
        AssertRejected("parameters", "exactly ParameterCount = 1761", "holds 1762",
            () => SineNet.Backward(new float[1762], inputs, outputGradients, Batch, workspace, parameterGradients, inputGradients));
        AssertRejected("inputs", "at least 4", "holds 0",
            () => SineNet.Backward(parameters, default, outputGradients, Batch, workspace, parameterGradients, inputGradients));
        AssertRejected("outputGradients", "at least 4", "holds 3",
            () => SineNet.Backward(parameters, inputs, outputGradients.AsSpan(1), Batch, workspace, parameterGradients, inputGradients));
        AssertRejected("workspace", $"at least {SineNet.WorkspaceSize(Batch)}", "holds 10",
            () => SineNet.Backward(parameters, inputs, outputGradients, Batch, workspace.AsSpan(0, 10), parameterGradients, inputGradients));
        AssertRejected("parameterGradients", "exactly ParameterCount = 1761", "holds 1700",
            () => SineNet.Backward(parameters, inputs, outputGradients, Batch, workspace, parameterGradients.AsSpan(0, 1700), inputGradients));
        AssertRejected("inputGradients", "must be empty or hold at least 4", "holds 1",
            () => SineNet.Backward(parameters, inputs, outputGradients, Batch, workspace, parameterGradients, inputGradients.AsSpan(3)));
        AssertNothingWritten();
    }

    [Fact]
    public void Buffers_that_share_memory_are_rejected()
    {
        float[] shared = new float[SineNet.WorkspaceSize(Batch) + Batch];
        AssertRejected("outputs", "overlaps workspace", "",
            () => SineNet.Forward(parameters, inputs, shared.AsSpan(0, Batch), Batch, shared.AsSpan(Batch - 1)));
        AssertRejected("workspace", "overlaps inputs", "",
            () => SineNet.Forward(parameters, shared.AsSpan(0, Batch), outputs, Batch, shared.AsSpan(2)));
        float[] gradients = new float[SineNet.ParameterCount + Batch];
        AssertRejected("inputGradients", "overlaps parameterGradients", "",
            () => SineNet.Backward(parameters, inputs, outputGradients, Batch, workspace, gradients.AsSpan(0, SineNet.ParameterCount), gradients.AsSpan(SineNet.ParameterCount - 1)));
        AssertRejected("parameterGradients", "overlaps parameters", "",
            () => SineNet.Backward(parameters, inputs, outputGradients, Batch, workspace, parameters, inputGradients));
        AssertNothingWritten();
    }

    [Fact]
    public void Longer_buffers_are_accepted_and_only_their_start_is_used()
    {
        float[] longInputs = new float[Batch + 3];
        float[] longOutputs = Filled(Batch + 3);
        float[] longWorkspace = new float[SineNet.WorkspaceSize(Batch) + 5];
        SineNet.Forward(parameters, longInputs, longOutputs, Batch, longWorkspace);
        Assert.All(longOutputs.Skip(Batch), value => Assert.Equal(Sentinel, value));
        Assert.All(longOutputs.Take(Batch), value => Assert.NotEqual(Sentinel, value));
    }

    /// <summary>An image network names the NCHW sizes it needs, and writes nothing when refused.</summary>
    [Fact]
    public void An_image_network_rejects_spans_that_are_too_short_and_writes_nothing()
    {
        const int Images = 3;
        float[] weights = new float[Networks.LeNet.ParameterCount];
        float[] images = new float[Images * 784];
        float[] scores = Filled(Images * 10);
        float[] space = Filled(Networks.LeNet.WorkspaceSize(Images));
        float[] weightGradients = Filled(Networks.LeNet.ParameterCount);
        float[] imageGradients = Filled(Images * 784);
        var exception = Assert.ThrowsAny<ArgumentException>(() => Networks.LeNet.Forward(weights, images.AsSpan(1), scores, Images, space));
        Assert.Equal("inputs", exception.ParamName);
        Assert.Contains($"at least {Images * 784}", exception.Message);
        Assert.Contains($"holds {(Images * 784) - 1}", exception.Message);
        exception = Assert.ThrowsAny<ArgumentException>(() => Networks.LeNet.Forward(weights, images, scores.AsSpan(1), Images, space));
        Assert.Equal("outputs", exception.ParamName);
        exception = Assert.ThrowsAny<ArgumentException>(() => Networks.LeNet.Backward(weights, images, new float[Images * 10], Images, space, weightGradients, imageGradients.AsSpan(1)));
        Assert.Equal("inputGradients", exception.ParamName);
        Assert.Contains($"at least {Images * 784}", exception.Message);
        Assert.All(scores, value => Assert.Equal(Sentinel, value));
        Assert.All(space, value => Assert.Equal(Sentinel, value));
        Assert.All(weightGradients, value => Assert.Equal(Sentinel, value));
        Assert.All(imageGradients, value => Assert.Equal(Sentinel, value));
    }

    [Fact]
    public void Workspace_size_is_per_sample_times_batch_and_refuses_to_overflow()
    {
        Assert.Equal(80, SineNet.WorkspaceSize(1));
        Assert.Equal(80 * 33, SineNet.WorkspaceSize(33));
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => SineNet.WorkspaceSize(int.MaxValue));
        Assert.Contains("more than an array can hold", exception.Message);
    }

    private static float[] Filled(int length) => Enumerable.Repeat(Sentinel, length).ToArray();

    private static void AssertRejected(string argument, string need, string given, Action call)
    {
        var exception = Assert.ThrowsAny<ArgumentException>(call);
        Assert.Equal(argument, exception.ParamName);
        Assert.Contains(need, exception.Message);
        Assert.Contains(given, exception.Message);
        Assert.Contains("SineNet.", exception.Message);
    }

    private void AssertNothingWritten()
    {
        Assert.All(outputs, value => Assert.Equal(Sentinel, value));
        Assert.All(workspace, value => Assert.Equal(Sentinel, value));
        Assert.All(parameterGradients, value => Assert.Equal(Sentinel, value));
        Assert.All(inputGradients, value => Assert.Equal(Sentinel, value));
    }
}
