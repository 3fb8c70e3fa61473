using System;
using HyperDsl;

namespace ContinualMnist;

/// <summary>Mini-batches of the task being learned, as continual learning sees its data: one task at a time.</summary>
public sealed class ContinualSampler(ContinualBenchmark benchmark) : ITaskSampler
{
    /// <summary>The task whose samples the batches hold.</summary>
    public int Task { get; set; }

    public void Sample(Random random, Span<int> taskIds, Span<float> inputs, Span<float> targets, Span<float> conditions, int samplesPerTask)
    {
        int inputSize = benchmark.InputSize;
        int classes = benchmark.Classes;
        targets.Clear();
        for (int t = 0; t < taskIds.Length; t++)
        {
            taskIds[t] = Task;
            for (int s = 0; s < samplesPerTask; s++)
            {
                int row = (t * samplesPerTask) + s;
                int label = benchmark.Train(Task, random.Next(benchmark.TrainCount(Task)), inputs.Slice(row * inputSize, inputSize));
                targets[(row * classes) + label] = 1f;
            }
        }
    }
}
