using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
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
    var results = new List<Dictionary<string, object>>();
    string[] variants = options.Variant == "all" ? ["generated", "shared", "direct"] : [options.Variant];
    foreach (string variant in variants)
    {
        var clock = Stopwatch.StartNew();
        double[] accuracy;
        string name;
        int parameters;
        float finalLoss = float.NaN;
        if (variant == "direct")
        {
            name = "LeNet trained directly";
            parameters = 2 * LeNet.ParameterCount;
            Console.WriteLine($"{name}: one LeNet per task, {LeNet.ParameterCount:N0} weights each, the same mini-batches and schedule, {steps:N0} steps per task, 1 thread:");
            accuracy = new double[2];
            for (int task = 0; task < 2; task++)
            {
                float[] weights = DirectBaseline.Train(sets[task].Train, steps, SamplesPerTask, options.LearningRate, options.Seed + task);
                accuracy[task] = DirectBaseline.Accuracy(weights, sets[task].Test);
            }
        }
        else
        {
            IHyperModel model = variant == "generated"
                ? new LeNetHyper(maxTasks: 2, maxSamplesPerTask: SamplesPerTask)
                : new SharedConvLeNetHyper(maxTasks: 2, maxSamplesPerTask: SamplesPerTask);
            name = variant == "generated" ? nameof(LeNetHyper) : nameof(SharedConvLeNetHyper);
            parameters = model.ParameterCount;
            model.Initialize(options.Seed);
            model.Threads = options.Threads;
            Console.WriteLine(variant == "generated"
                ? $"{name}: θ of {model.ParameterCount:N0} floats generates all {model.TargetParameterCount:N0} weights of LeNet per task."
                : $"{name}: θ of {model.ParameterCount:N0} floats holds the shared convolutions and generates the classifier per task.");
            Console.WriteLine($"Training on {taskNames[0]} and {taskNames[1]} together, {SamplesPerTask} images of each per step, {steps:N0} steps ({(double)steps * SamplesPerTask / trainingImages:F1} epochs), {options.Threads} thread(s):");
            TrainingSummary training = new Trainer(model, new Adam(model), sampler, new TrainerOptions
            {
                Steps = steps,
                TasksPerStep = 2,
                SamplesPerTask = SamplesPerTask,
                Loss = Loss.SoftmaxCrossEntropy,
                Seed = options.Seed,
                Schedule = new CosineSchedule(peak: options.LearningRate, totalSteps: steps, warmupSteps: Math.Min(500, steps / 10), minimum: 1e-5f),
                LogEvery = 50,
                Progress = Console.Out,
            }).Run();
            finalLoss = training.RecentLoss;
            accuracy = [Evaluation.Accuracy(model, 0, sets[0].Test), Evaluation.Accuracy(model, 1, sets[1].Test)];
        }

        double seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"{name}: test accuracy {taskNames[0]} {accuracy[0]:P2}, {taskNames[1]} {accuracy[1]:P2}; {seconds:F0} s.");
        results.Add(new Dictionary<string, object>
        {
            ["variant"] = variant,
            ["model"] = name,
            ["parameters"] = parameters,
            ["steps"] = steps,
            ["samples_per_task"] = SamplesPerTask,
            ["peak_learning_rate"] = options.LearningRate,
            ["threads"] = variant == "direct" ? 1 : options.Threads,
            ["mnist_test_accuracy"] = accuracy[0],
            ["fashion_mnist_test_accuracy"] = accuracy[1],
            ["seconds"] = seconds,
            ["final_loss"] = finalLoss,
        });
    }

    if (options.JsonPath is not null)
    {
        File.WriteAllText(options.JsonPath, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
    }

    return 0;
}
finally
{
    if (temporary is not null)
    {
        Directory.Delete(temporary, recursive: true);
    }
}
