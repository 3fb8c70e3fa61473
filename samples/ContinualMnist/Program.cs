using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ContinualMnist;
using HyperDsl;
using ImageTasks;

// Continual learning with hypernetworks (von Oswald et al., ICLR 2020) on Split-MNIST and Permuted-MNIST, task-
// incremental (the task is known at test time): a hypernetwork learns the tasks one after another and, with the output
// regulariser, keeps generating the earlier tasks' networks; beside it, the same hypernetwork without the regulariser
// and one network fine-tuned task after task.
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

int maxTasks = options.IsSplit ? 5 : 10;
if (options.Tasks > maxTasks)
{
    Console.Error.WriteLine($"--tasks is at most {maxTasks} for {options.Benchmark}.");
    return 2;
}

string? temporary = null;
string folder = options.DataFolder ?? string.Empty;
if (options.Smoke)
{
    temporary = Directory.CreateTempSubdirectory("continual-mnist-").FullName;
    folder = SyntheticImages.Write(temporary, options.Seed);
}

try
{
    (ImageSet Train, ImageSet Test) mnist;
    try
    {
        mnist = ImageSet.Load(Path.Combine(folder, "mnist"), options.Standardise);
    }
    catch (Exception exception) when (exception is IOException or InvalidDataException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine(exception.Message);
        return 1;
    }

    int tasks = options.Tasks ?? maxTasks;
    ContinualBenchmark benchmark = options.IsSplit
        ? new SplitMnist(mnist.Train, mnist.Test, tasks)
        : new PermutedMnist(mnist.Train, mnist.Test, tasks, seed: 1000 + options.Seed);
    var methods = new Methods(benchmark, options);
    string[] names = options.Method == "all" ? ["hnet", "unregularized", "finetune"] : [options.Method];
    var results = new List<Dictionary<string, object?>>();
    var meanMatrices = new Dictionary<string, double?[][]>();
    foreach (string method in names)
    {
        var runs = new List<RunResult>();
        for (int seed = options.Seed; seed < options.Seed + options.Seeds; seed++)
        {
            RunResult run = method switch
            {
                "finetune" when options.IsSplit => methods.Finetune<SplitMlp>(seed),
                "finetune" => methods.Finetune<PermutedMlp>(seed),
                _ when options.IsSplit => methods.Hypernetwork(new SplitHyper(maxTasks: 1, maxSamplesPerTask: 128), seed, method == "hnet", method),
                _ => methods.Hypernetwork(new PermutedHyper(maxTasks: 1, maxSamplesPerTask: 128), seed, method == "hnet", method),
            };
            Console.WriteLine($"{method}, seed {seed}: mean test accuracy over the {tasks} tasks after the last: {run.FinalMean:P2}; {run.Seconds:F0} s.");
            runs.Add(run);
        }

        double?[][] mean = MeanMatrix(runs);
        meanMatrices[method] = mean;
        double meanAccuracy = runs.Average(run => run.FinalMean);
        if (runs.Count > 1)
        {
            Console.WriteLine($"{method}, mean of {runs.Count} seeds: {meanAccuracy:P2} (lowest {runs.Min(run => run.FinalMean):P2}, highest {runs.Max(run => run.FinalMean):P2}).");
        }

        results.Add(new Dictionary<string, object?>
        {
            ["benchmark"] = benchmark.Name,
            ["method"] = method,
            ["mean_accuracy"] = meanAccuracy,
            ["mean_accuracy_per_seed"] = runs.Select(run => run.FinalMean).ToArray(),
            ["seeds"] = Enumerable.Range(options.Seed, runs.Count).ToArray(),
            ["accuracy_matrix"] = mean,
            ["iterations_per_task"] = options.Iterations(benchmark),
            ["learning_rate"] = options.LearningRate(benchmark),
            ["beta"] = method == "hnet" ? options.Beta(benchmark) : null,
            ["lookahead"] = method == "hnet" ? !options.NoLookahead : null,
            ["init"] = method == "finetune" ? null : options.Init == HyperfanInit.Xavier ? "xavier" : "hyperfan",
            ["pixels"] = options.Standardise ? "standardised" : "unit",
            ["regularized_tasks_per_step"] = method == "hnet" && options.RegularizedTasks > 0 ? options.RegularizedTasks : null,
            ["seconds"] = runs.Sum(run => run.Seconds),
        });
    }

    Console.WriteLine();
    Console.WriteLine($"{benchmark.Name}, {tasks} tasks, task-incremental: mean test accuracy over every task after the last one was learned");
    foreach (Dictionary<string, object?> result in results)
    {
        Console.WriteLine($"  {result["method"],-14} {(double)result["mean_accuracy"]!:P2}   ({(double)result["seconds"]! / 60:F1} min)");
    }

    if (options.JsonPath is not null)
    {
        object document = results.Count == 1 ? results[0] : results;
        WriteAtomically(options.JsonPath, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
    }

    if (options.PlotPath is not null)
    {
        AccuracyPlot.Save(options.PlotPath, benchmark.Name, meanMatrices);
    }

    // The synthetic images of --smoke are easy: a regularised hypernetwork that does not keep them is broken.
    if (options.Smoke && results.Any(result => (string)result["method"]! == "hnet" && (double)result["mean_accuracy"]! < 0.9))
    {
        Console.Error.WriteLine("Smoke run: the regularised hypernetwork kept fewer than 90 % of the synthetic test images right.");
        return 3;
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

static double?[][] MeanMatrix(List<RunResult> runs)
{
    int tasks = runs[0].Accuracy.Length;
    var mean = new double?[tasks][];
    for (int i = 0; i < tasks; i++)
    {
        mean[i] = new double?[tasks];
        for (int t = 0; t <= i; t++)
        {
            mean[i][t] = runs.Average(run => run.Accuracy[i][t]!.Value);
        }
    }

    return mean;
}

static void WriteAtomically(string path, string text)
{
    string full = Path.GetFullPath(path);
    Directory.CreateDirectory(Path.GetDirectoryName(full)!);
    string partial = full + ".partial";
    File.WriteAllText(partial, text);
    File.Move(partial, full, overwrite: true);
}
