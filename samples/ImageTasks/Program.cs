using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using HyperDsl;
using HyperDsl.Training;
using ImageTasks;

// Two image tasks from one hypernetwork: LeNet classifies MNIST digits (task 0) and Fashion-MNIST clothes (task 1),
// with weights generated from a learned embedding of each task — all of them (LeNetHyper), or the classifier's while
// the convolutions are shared and learned directly (SharedConvLeNetHyper) — beside LeNet trained on each task directly.
SampleOptions options;
try
{
    options = SampleOptions.Parse(args);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine(SampleOptions.Usage);
    return 2;
}

if (options.Help)
{
    Console.WriteLine(SampleOptions.Usage);
    return 0;
}

const int SamplesPerTask = 64;
string? temporary = null;
string folder = options.DataFolder ?? string.Empty;
if (options.Smoke)
{
    temporary = Directory.CreateTempSubdirectory("image-tasks-").FullName;
    folder = SyntheticImages.Write(temporary, options.Seed);
}

try
{
    (ImageSet Train, ImageSet Test)[] sets;
    try
    {
        sets = [ImageSet.Load(Path.Combine(folder, "mnist")), ImageSet.Load(Path.Combine(folder, "fashion-mnist"))];
    }
    catch (Exception exception) when (exception is IOException or InvalidDataException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine(exception.Message);
        return 1;
    }

    string[] taskNames = ["MNIST", "Fashion-MNIST"];
    int trainingImages = sets[0].Train.Count;
    int steps = options.Smoke ? 40 : (int)Math.Ceiling(options.Epochs * trainingImages / SamplesPerTask);
    var sampler = new ImageTaskSampler([sets[0].Train, sets[1].Train]);
    var results = new List<Dictionary<string, object?>>();
    string[] variants = options.Variant == "all" ? ["generated", "shared", "direct"] : [options.Variant];
    foreach (string variant in variants)
    {
        // Each seed is a whole run of its own; with several, the figures are their mean (one run's accuracy moves by
        // a few tenths of a percent from seed to seed, which is the size of the margins that matter here).
        var runs = new List<Run>();
        for (int seed = options.Seed; seed < options.Seed + options.Seeds; seed++)
        {
            Run run = Train(variant, seed);
            Console.WriteLine($"{run.Name}, seed {seed}: test accuracy {taskNames[0]} {run.Accuracy[0]:P2}, {taskNames[1]} {run.Accuracy[1]:P2}; {run.Seconds:F0} s.");
            runs.Add(run);
        }

        double[] mean = [runs.Average(run => run.Accuracy[0]), runs.Average(run => run.Accuracy[1])];
        if (runs.Count > 1)
        {
            Console.WriteLine($"{runs[0].Name}, mean of {runs.Count} seeds: {taskNames[0]} {mean[0]:P2} (lowest {runs.Min(run => run.Accuracy[0]):P2}), {taskNames[1]} {mean[1]:P2} (lowest {runs.Min(run => run.Accuracy[1]):P2}).");
        }

        results.Add(new Dictionary<string, object?>
        {
            ["variant"] = variant,
            ["model"] = runs[0].Name,
            ["parameters"] = runs[0].Parameters,
            ["steps"] = steps,
            ["samples_per_task"] = SamplesPerTask,
            ["peak_learning_rate"] = options.LearningRate,
            ["threads"] = variant == "direct" ? 1 : options.Threads,
            ["seeds"] = runs.Select(run => run.Seed).ToArray(),
            ["mnist_test_accuracy"] = mean[0],
            ["fashion_mnist_test_accuracy"] = mean[1],
            ["mnist_test_accuracy_per_seed"] = runs.Select(run => run.Accuracy[0]).ToArray(),
            ["fashion_mnist_test_accuracy_per_seed"] = runs.Select(run => run.Accuracy[1]).ToArray(),
            ["seconds"] = runs.Average(run => run.Seconds),
            ["final_loss"] = float.IsNaN(runs[^1].FinalLoss) ? null : runs[^1].FinalLoss, // the last seed's; the direct baseline keeps none
        });
    }

    if (options.JsonPath is not null)
    {
        File.WriteAllText(options.JsonPath, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
    }

    // The synthetic images of --smoke are easy: a model that does not learn them is broken, and CI should hear of it.
    if (options.Smoke && results.Any(result => (double)result["mnist_test_accuracy"]! < 0.9 || (double)result["fashion_mnist_test_accuracy"]! < 0.9))
    {
        Console.Error.WriteLine("Smoke run: a model classified fewer than 90 % of the synthetic test images correctly.");
        return 3;
    }

    return 0;

    Run Train(string variant, int seed)
    {
        var clock = Stopwatch.StartNew();
        if (variant == "direct")
        {
            Console.WriteLine($"LeNet trained directly: one LeNet per task, {LeNet.ParameterCount:N0} weights each, the same mini-batches and schedule, {steps:N0} steps per task, 1 thread:");
            double[] direct = new double[2];
            for (int task = 0; task < 2; task++)
            {
                float[] weights = DirectBaseline.Train(sets[task].Train, steps, SamplesPerTask, options.LearningRate, seed + task);
                direct[task] = DirectBaseline.Accuracy(weights, sets[task].Test);
            }

            return new Run("LeNet trained directly", seed, 2 * LeNet.ParameterCount, direct, float.NaN, clock.Elapsed.TotalSeconds);
        }

        IHyperModel model = variant == "generated"
            ? new LeNetHyper(maxTasks: 2, maxSamplesPerTask: SamplesPerTask)
            : new SharedConvLeNetHyper(maxTasks: 2, maxSamplesPerTask: SamplesPerTask);
        string name = variant == "generated" ? nameof(LeNetHyper) : nameof(SharedConvLeNetHyper);
        model.Initialize(seed);
        model.Threads = options.Threads;
        Console.WriteLine(variant == "generated"
            ? $"{name}: θ of {model.ParameterCount:N0} floats generates all {model.TargetParameterCount:N0} weights of LeNet per task."
            : $"{name}: θ of {model.ParameterCount:N0} floats holds the shared convolutions and generates the classifier per task.");
        Console.WriteLine($"Training on {taskNames[0]} and {taskNames[1]} together, {SamplesPerTask} images of each per step, {steps:N0} steps ({(double)steps * SamplesPerTask / trainingImages:F1} epochs), {options.Threads} thread(s), seed {seed}:");
        TrainingSummary training = new Trainer(model, new Adam(model), sampler, new TrainerOptions
        {
            Steps = steps,
            TasksPerStep = 2,
            SamplesPerTask = SamplesPerTask,
            Loss = Loss.SoftmaxCrossEntropy,
            Seed = seed,
            Schedule = new CosineSchedule(peak: options.LearningRate, totalSteps: steps, warmupSteps: Math.Min(500, steps / 10), minimum: 1e-5f),
            LogEvery = 50,
            Progress = Console.Out,
        }).Run();
        double[] accuracy = [Evaluation.Accuracy(model, 0, sets[0].Test), Evaluation.Accuracy(model, 1, sets[1].Test)];
        return new Run(name, seed, model.ParameterCount, accuracy, training.RecentLoss, clock.Elapsed.TotalSeconds);
    }
}
finally
{
    if (temporary is not null)
    {
        Directory.Delete(temporary, recursive: true);
    }
}

/// <summary>One training run of one variant: its test accuracy per task (MNIST, Fashion-MNIST) and its time.</summary>
internal sealed record Run(string Name, int Seed, int Parameters, double[] Accuracy, float FinalLoss, double Seconds);
