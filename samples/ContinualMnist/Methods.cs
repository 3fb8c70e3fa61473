using System;
using System.Diagnostics;
using System.IO;
using HyperDsl;
using HyperDsl.Checkpoints;
using HyperDsl.Training;
using ImageTasks;

namespace ContinualMnist;

/// <summary>One run of one method: each task's test accuracy after each task was learned, and the wall time.</summary>
/// <param name="Accuracy">Row i: the accuracy of tasks 0..i after task i was learned; later tasks null.</param>
public sealed record RunResult(double?[][] Accuracy, double Seconds)
{
    /// <summary>The mean test accuracy over every task after the last one was learned.</summary>
    public double FinalMean
    {
        get
        {
            double?[] last = Accuracy[^1];
            double sum = 0;
            foreach (double? value in last)
            {
                sum += value!.Value;
            }

            return sum / last.Length;
        }
    }
}

/// <summary>
/// The methods: a hypernetwork that generates each task's network from the task's embedding, with the output
/// regulariser (hnet) or without it (unregularized), and one network fine-tuned task after task (finetune). Each task
/// gets a fresh Adam, as in the paper's code; after each task every task learned so far is evaluated with the current
/// parameters — for a hypernetwork, its W regenerated from θ.
/// </summary>
public sealed class Methods(ContinualBenchmark benchmark, SampleOptions options)
{
    private const int BatchSize = 128;
    private const int EvaluationBlock = 500;

    public RunResult Hypernetwork<TTarget>(HyperNetworkModel<TTarget> model, int seed, bool regularize, string method)
        where TTarget : ITargetNetwork
    {
        var clock = Stopwatch.StartNew();
        IHyperModel hyper = model;
        model.Initialize(seed, options.Init);
        model.Threads = options.Threads;
        int width = hyper.OutputSize;
        var sampler = new ContinualSampler(benchmark, width);
        OutputRegularizer? regularizer = regularize ? new OutputRegularizer(hyper, options.Beta(benchmark), capacity: benchmark.Tasks, tasksPerStep: options.RegularizedTasks, seed: seed) : null;
        var accuracy = NewMatrix();
        float[] outputs = new float[EvaluationBlock * width];
        float[] inputs = new float[EvaluationBlock * benchmark.InputSize];
        for (int task = 0; task < benchmark.Tasks; task++)
        {
            sampler.Task = task;
            Console.WriteLine($"{method}, seed {seed}: task {task + 1} of {benchmark.Tasks}, {options.Iterations(benchmark):N0} steps of {BatchSize}{(regularizer is { Count: > 0 } ? $", the outputs for {regularizer.Count} earlier task(s) held by β = {regularizer.Beta}{(options.NoLookahead ? string.Empty : ", with the look-ahead")}" : string.Empty)}");
            var adam = new Adam(hyper, options.LearningRate(benchmark));
            new Trainer(hyper, adam, sampler, new TrainerOptions
            {
                Steps = options.Iterations(benchmark),
                TasksPerStep = 1,
                SamplesPerTask = BatchSize,
                Loss = Loss.MaskedSoftmaxCrossEntropy,
                Seed = (seed * 1000) + task,
                Regularizer = regularizer,
                RegularizerLookahead = !options.NoLookahead,
                LogEvery = 50,
                MetricsPath = options.MetricsFolder is null ? null : Path.Combine(options.MetricsFolder, $"{benchmark.Name}-{method}-seed{seed}-task{task}.csv"),
                CheckpointPath = options.CheckpointFolder is null ? null : Path.Combine(options.CheckpointFolder, $"{benchmark.Name}-{method}-seed{seed}-task{task}.safetensors"),
                Progress = Console.Out,
                ProgressInterval = TimeSpan.FromSeconds(Console.IsOutputRedirected ? 10 : 0.5),
            }).Run();

            // The paper refreshes every learned task's anchor after each task, from the θ that has just learned it.
            for (int earlier = 0; regularizer is not null && earlier <= task; earlier++)
            {
                regularizer.Remember(earlier);
            }

            for (int earlier = 0; earlier <= task; earlier++)
            {
                int row = earlier;
                accuracy[task][earlier] = Accuracy(
                    earlier,
                    (block, count) => hyper.Predict(hyper.TaskEmbeddings.Slice(row * hyper.EmbeddingSize, hyper.EmbeddingSize), default, inputs.AsSpan(0, count * benchmark.InputSize), count, outputs.AsSpan(0, count * width)),
                    inputs,
                    outputs,
                    sampler.Head(row),
                    width);
            }

            Report(method, task, accuracy[task]);
        }

        return new RunResult(accuracy, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// One network trained task after task, each task on its own head of <see cref="ContinualBenchmark.Classes"/>
    /// outputs, as the hypernetwork's generated networks are.
    /// </summary>
    public RunResult Finetune<TNetwork>(int seed)
        where TNetwork : ITargetNetwork
    {
        var clock = Stopwatch.StartNew();
        var random = new Random(seed);
        float[] weights = new float[TNetwork.ParameterCount];
        PyTorchInitialization.Apply<TNetwork>(weights, random);
        float[] gradients = new float[TNetwork.ParameterCount];
        int width = TNetwork.OutputSize;
        var sampler = new ContinualSampler(benchmark, width);
        float[] inputs = new float[EvaluationBlock * benchmark.InputSize];
        float[] outputs = new float[EvaluationBlock * width];
        float[] targets = new float[BatchSize * width];
        float[] outputGradients = new float[BatchSize * width];
        int[] taskId = new int[1];
        float[] workspace = new float[TNetwork.WorkspaceSize(EvaluationBlock)];
        var accuracy = NewMatrix();
        int steps = options.Iterations(benchmark);
        for (int task = 0; task < benchmark.Tasks; task++)
        {
            Console.WriteLine($"finetune, seed {seed}: task {task + 1} of {benchmark.Tasks}, {steps:N0} steps of {BatchSize}, one network of {TNetwork.ParameterCount:N0} weights");
            var adam = new Adam(TNetwork.ParameterCount, options.LearningRate(benchmark));
            sampler.Task = task;
            var taskClock = Stopwatch.StartNew();
            TimeSpan lastProgress = TimeSpan.Zero;
            for (int step = 1; step <= steps; step++)
            {
                Span<float> batchInputs = inputs.AsSpan(0, BatchSize * benchmark.InputSize);
                Span<float> batchOutputs = outputs.AsSpan(0, BatchSize * width);
                Span<float> batchWorkspace = workspace.AsSpan(0, TNetwork.WorkspaceSize(BatchSize));
                sampler.Sample(random, taskId, batchInputs, targets, Span<float>.Empty, BatchSize);
                TNetwork.Forward(weights, batchInputs, batchOutputs, BatchSize, batchWorkspace);
                float loss = Losses.Evaluate(Loss.MaskedSoftmaxCrossEntropy, batchOutputs, targets, BatchSize, width, outputGradients);
                Array.Clear(gradients);
                TNetwork.Backward(weights, batchInputs, outputGradients, BatchSize, batchWorkspace, gradients, Span<float>.Empty);
                adam.Step(weights, gradients);
                if (taskClock.Elapsed - lastProgress >= TimeSpan.FromSeconds(Console.IsOutputRedirected ? 10 : 0.5) || step == steps)
                {
                    lastProgress = taskClock.Elapsed;
                    double rate = step / taskClock.Elapsed.TotalSeconds;
                    Console.WriteLine($"step {step,7}/{steps}  loss {loss,10:G4}  {rate,7:F0} steps/s  ETA {(steps - step) / rate,6:F1} s");
                }
            }

            for (int earlier = 0; earlier <= task; earlier++)
            {
                accuracy[task][earlier] = Accuracy(
                    earlier,
                    (block, count) => TNetwork.Forward(weights, inputs.AsSpan(0, count * benchmark.InputSize), outputs.AsSpan(0, count * width), count, workspace.AsSpan(0, TNetwork.WorkspaceSize(count))),
                    inputs,
                    outputs,
                    sampler.Head(earlier),
                    width);
            }

            Report("finetune", task, accuracy[task]);
        }

        if (options.CheckpointFolder is not null)
        {
            Checkpoint.SaveTarget<TNetwork>(Path.Combine(options.CheckpointFolder, $"{benchmark.Name}-finetune-seed{seed}.safetensors"), weights);
        }

        return new RunResult(accuracy, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The share of a task's test samples whose largest output on its head is their class.</summary>
    private double Accuracy(int task, Action<int, int> run, float[] inputs, float[] outputs, int head, int width)
    {
        int[] labels = new int[EvaluationBlock];
        int correct = 0;
        int total = benchmark.TestCount(task);
        for (int start = 0; start < total; start += EvaluationBlock)
        {
            int count = Math.Min(EvaluationBlock, total - start);
            for (int s = 0; s < count; s++)
            {
                labels[s] = benchmark.Test(task, start + s, inputs.AsSpan(s * benchmark.InputSize, benchmark.InputSize));
            }

            run(start, count);
            for (int s = 0; s < count; s++)
            {
                ReadOnlySpan<float> scores = outputs.AsSpan((s * width) + head, benchmark.Classes);
                int best = 0;
                for (int c = 1; c < scores.Length; c++)
                {
                    best = scores[c] > scores[best] ? c : best;
                }

                correct += best == labels[s] ? 1 : 0;
            }
        }

        return (double)correct / total;
    }

    private double?[][] NewMatrix()
    {
        var matrix = new double?[benchmark.Tasks][];
        for (int i = 0; i < matrix.Length; i++)
        {
            matrix[i] = new double?[benchmark.Tasks];
        }

        return matrix;
    }

    private static void Report(string method, int task, double?[] row)
    {
        var parts = new System.Collections.Generic.List<string>();
        for (int t = 0; t <= task; t++)
        {
            parts.Add($"task {t + 1} {row[t]!.Value:P2}");
        }

        Console.WriteLine($"{method}: after task {task + 1}, test accuracy {string.Join(", ", parts)}");
    }
}
