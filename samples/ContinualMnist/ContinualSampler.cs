using System;
using HyperDsl;

namespace ContinualMnist;

/// <summary>
/// Mini-batches of the task being learned, as continual learning sees its data: one task at a time. The network has a
/// head of <see cref="ContinualBenchmark.Classes"/> outputs per task, as in the paper's task-incremental setting: task t
/// is scored on outputs t·Classes to (t + 1)·Classes − 1, and the other outputs' targets are NaN, which
/// <see cref="Loss.MaskedSoftmaxCrossEntropy"/> leaves out of the softmax.
/// </summary>
/// <param name="benchmark">The tasks.</param>
/// <param name="outputSize">The network's outputs: a head per task, at least Classes × Tasks.</param>
public sealed class ContinualSampler(ContinualBenchmark benchmark, int outputSize) : ITaskSampler
{
    /// <summary>The task whose samples the batches hold.</summary>
    public int Task { get; set; }

    /// <summary>The first output of <paramref name="task"/>'s head.</summary>
    public int Head(int task) => task * benchmark.Classes;

    public void Sample(Random random, Span<int> taskIds, Span<float> inputs, Span<float> targets, Span<float> conditions, int samplesPerTask)
    {
        int inputSize = benchmark.InputSize;
        int classes = benchmark.Classes;
        targets.Fill(float.NaN);
        for (int t = 0; t < taskIds.Length; t++)
        {
            taskIds[t] = Task;
            for (int s = 0; s < samplesPerTask; s++)
            {
                int row = (t * samplesPerTask) + s;
                int label = benchmark.Train(Task, random.Next(benchmark.TrainCount(Task)), inputs.Slice(row * inputSize, inputSize));
                Span<float> head = targets.Slice((row * outputSize) + Head(Task), classes);
                head.Clear();
                head[label] = 1f;
            }
        }
    }
}
