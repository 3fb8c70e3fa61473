using System;
using System.Collections.Generic;
using ImageTasks;

namespace ContinualMnist;

/// <summary>A sequence of classification tasks over MNIST: what each task's training and test samples are.</summary>
public abstract class ContinualBenchmark
{
    /// <summary>The name on the command line and in the JSON: <c>split-mnist</c> or <c>permuted-mnist</c>.</summary>
    public abstract string Name { get; }

    public abstract int Tasks { get; }

    /// <summary>Floats per input.</summary>
    public abstract int InputSize { get; }

    /// <summary>Classes per task (the outputs of a generated network).</summary>
    public abstract int Classes { get; }

    public abstract int TrainCount(int task);

    public abstract int TestCount(int task);

    /// <summary>Writes training sample <paramref name="index"/> of <paramref name="task"/> to <paramref name="input"/> and returns its class.</summary>
    public abstract int Train(int task, int index, Span<float> input);

    /// <summary>Writes test sample <paramref name="index"/> of <paramref name="task"/> to <paramref name="input"/> and returns its class.</summary>
    public abstract int Test(int task, int index, Span<float> input);
}

/// <summary>Split-MNIST: task t tells digit 2t (class 0) from digit 2t + 1 (class 1).</summary>
public sealed class SplitMnist : ContinualBenchmark
{
    private readonly ImageSet train;
    private readonly ImageSet test;
    private readonly int[][] trainIndices;
    private readonly int[][] testIndices;

    public SplitMnist(ImageSet train, ImageSet test, int tasks)
    {
        this.train = train;
        this.test = test;
        Tasks = tasks;
        trainIndices = Pairs(train, tasks);
        testIndices = Pairs(test, tasks);
    }

    public override string Name => "split-mnist";

    public override int Tasks { get; }

    public override int InputSize => ImageSet.Pixels;

    public override int Classes => 2;

    public override int TrainCount(int task) => trainIndices[task].Length;

    public override int TestCount(int task) => testIndices[task].Length;

    public override int Train(int task, int index, Span<float> input) => Copy(train, trainIndices[task][index], task, input);

    public override int Test(int task, int index, Span<float> input) => Copy(test, testIndices[task][index], task, input);

    private static int Copy(ImageSet set, int image, int task, Span<float> input)
    {
        set.Images.AsSpan(image * ImageSet.Pixels, ImageSet.Pixels).CopyTo(input);
        return set.Labels[image] - (2 * task);
    }

    private static int[][] Pairs(ImageSet set, int tasks)
    {
        var indices = new List<int>[tasks];
        for (int t = 0; t < tasks; t++)
        {
            indices[t] = new List<int>();
        }

        for (int i = 0; i < set.Count; i++)
        {
            int task = set.Labels[i] / 2;
            if (task < tasks)
            {
                indices[task].Add(i);
            }
        }

        return Array.ConvertAll(indices, list => list.ToArray());
    }
}

/// <summary>
/// Permuted-MNIST: every task is the 10-way digit classification, its images padded to 32×32 with the background and
/// their pixels shuffled by the task's fixed permutation; task 0 keeps the pixels in place.
/// </summary>
public sealed class PermutedMnist : ContinualBenchmark
{
    public const int Side = 32;
    private const int Padding = (Side - ImageSet.Side) / 2;

    private readonly ImageSet train;
    private readonly ImageSet test;
    private readonly int[][] permutations;
    private readonly float background;

    public PermutedMnist(ImageSet train, ImageSet test, int tasks, int seed)
    {
        this.train = train;
        this.test = test;
        Tasks = tasks;
        permutations = new int[tasks][];
        var random = new Random(seed);
        for (int t = 0; t < tasks; t++)
        {
            int[] permutation = new int[Side * Side];
            for (int p = 0; p < permutation.Length; p++)
            {
                permutation[p] = p;
            }

            if (t > 0)
            {
                random.Shuffle(permutation);
            }

            permutations[t] = permutation;
        }

        // Pixel value 0 as the loader gives it (0, or 0 standardised): the smallest value there is.
        background = float.PositiveInfinity;
        foreach (float value in train.Images)
        {
            background = Math.Min(background, value);
        }
    }

    public override string Name => "permuted-mnist";

    public override int Tasks { get; }

    public override int InputSize => Side * Side;

    public override int Classes => 10;

    public override int TrainCount(int task) => train.Count;

    public override int TestCount(int task) => test.Count;

    public override int Train(int task, int index, Span<float> input) => Copy(train, index, task, input);

    public override int Test(int task, int index, Span<float> input) => Copy(test, index, task, input);

    private int Copy(ImageSet set, int image, int task, Span<float> input)
    {
        ReadOnlySpan<float> pixels = set.Images.AsSpan(image * ImageSet.Pixels, ImageSet.Pixels);
        int[] permutation = permutations[task];
        for (int p = 0; p < input.Length; p++)
        {
            int source = permutation[p];
            int y = (source / Side) - Padding;
            int x = (source % Side) - Padding;
            input[p] = (uint)y < ImageSet.Side && (uint)x < ImageSet.Side ? pixels[(y * ImageSet.Side) + x] : background;
        }

        return set.Labels[image];
    }
}
