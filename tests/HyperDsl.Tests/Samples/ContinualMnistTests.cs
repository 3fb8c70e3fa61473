using System;
using System.IO;
using System.Linq;
using ContinualMnist;
using ImageTasks;
using Xunit;

namespace HyperDsl.Tests.Samples;

/// <summary>
/// The continual-learning sample's tasks and batches: each task is scored on its own head, every other output's target
/// is NaN (left out by <see cref="Loss.MaskedSoftmaxCrossEntropy"/>), and the labels are the task's classes.
/// </summary>
public sealed class ContinualMnistTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("hyperdsl-continual-").FullName;
    private readonly (ImageSet Train, ImageSet Test) mnist;

    public ContinualMnistTests()
    {
        SyntheticImages.Write(folder, seed: 5);
        mnist = ImageSet.Load(Path.Combine(folder, "mnist"));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(4)]
    public void A_split_batch_is_one_hot_on_its_task_head_and_NaN_elsewhere(int task)
    {
        var benchmark = new SplitMnist(mnist.Train, mnist.Test, tasks: 5);
        const int outputs = 10;
        const int samples = 40;
        var sampler = new ContinualSampler(benchmark, outputs) { Task = task };
        int[] ids = new int[1];
        float[] inputs = new float[samples * benchmark.InputSize];
        float[] targets = new float[samples * outputs];
        sampler.Sample(new Random(2), ids, inputs, targets, Span<float>.Empty, samples);

        Assert.Equal(task, ids[0]);
        Assert.Equal(2 * task, sampler.Head(task));
        for (int s = 0; s < samples; s++)
        {
            float[] row = targets.AsSpan(s * outputs, outputs).ToArray();
            Assert.All(Enumerable.Range(0, outputs).Where(k => k / 2 != task), k => Assert.True(float.IsNaN(row[k])));
            Assert.Equal(1f, row[2 * task] + row[(2 * task) + 1]);
            Assert.True(row[2 * task] is 0f or 1f);

            // The image is one of the task's two digits, and the label says which.
            float[] image = inputs.AsSpan(s * benchmark.InputSize, benchmark.InputSize).ToArray();
            int digit = Enumerable.Range(0, mnist.Train.Count)
                .Where(i => mnist.Train.Images.AsSpan(i * ImageSet.Pixels, ImageSet.Pixels).SequenceEqual(image))
                .Select(i => (int)mnist.Train.Labels[i])
                .First();
            Assert.Equal(digit, (2 * task) + (row[(2 * task) + 1] == 1f ? 1 : 0));
        }
    }

    [Fact]
    public void A_permuted_batch_keeps_the_ten_classes_on_the_task_head_and_pads_with_the_background()
    {
        var benchmark = new PermutedMnist(mnist.Train, mnist.Test, tasks: 3, seed: 9);
        const int outputs = 100;
        var sampler = new ContinualSampler(benchmark, outputs) { Task = 2 };
        float[] inputs = new float[benchmark.InputSize];
        float[] targets = new float[outputs];
        sampler.Sample(new Random(4), new int[1], inputs, targets, Span<float>.Empty, 1);
        Assert.Equal(20, sampler.Head(2));
        Assert.Equal(1f, targets.AsSpan(20, 10).ToArray().Sum());
        Assert.Equal(90, targets.Count(float.IsNaN));

        // Task 0 is unpermuted: the 28×28 image sits in the middle of the 32×32 input, the background around it.
        float[] unpermuted = new float[benchmark.InputSize];
        int label = benchmark.Train(0, 7, unpermuted);
        Assert.Equal(mnist.Train.Labels[7], label);
        float background = mnist.Train.Images.Min();
        Assert.Equal(background, unpermuted[0]);
        Assert.Equal(mnist.Train.Images[(7 * ImageSet.Pixels) + 5], unpermuted[(2 * 32) + 2 + 5]);
    }

    [Fact]
    public void Pixels_load_in_the_unit_interval_or_standardised()
    {
        (ImageSet unitTrain, _) = ImageSet.Load(Path.Combine(folder, "mnist"), standardise: false);
        Assert.InRange(unitTrain.Images.Min(), 0f, 0f);
        Assert.InRange(unitTrain.Images.Max(), 0f, 1f);
        Assert.Contains(unitTrain.Images, value => value > 0.5f);

        double mean = mnist.Train.Images.Average(value => (double)value);
        double variance = mnist.Train.Images.Average(value => (value - mean) * (value - mean));
        Assert.Equal(0, mean, 1e-4);
        Assert.Equal(1, variance, 1e-3);

        // The same pixel both ways: standardised = (unit − μ) / σ.
        double deviation = Math.Sqrt(unitTrain.Images.Average(value => (double)value * value) - Math.Pow(unitTrain.Images.Average(value => (double)value), 2));
        double unitMean = unitTrain.Images.Average(value => (double)value);
        Assert.Equal((unitTrain.Images[1234] - unitMean) / deviation, mnist.Train.Images[1234], 1e-4);
    }
}
