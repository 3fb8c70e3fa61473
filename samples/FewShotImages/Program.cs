using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using FewShotImages;
using HyperDsl;
using HyperDsl.Training;
using ImageTasks;
using Sinusoid;

// Few-shot image classification with a hypernetwork: 5-way K-shot episodes of classes never seen in meta-training
// (digits 7–9 and garments 7–9, each in four rotations). The hypernetwork learns, over a fixed pool of meta-training
// episodes, to generate a 5-way head on convolutions it shares across episodes; a new episode's head comes from an
// embedding fitted to its support images. Beside it: nearest class mean on pixels, a network trained from scratch on
// the support set, and a network trained on all meta-training classes with a new head fine-tuned on the support set.
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

var clock = Stopwatch.StartNew();
string? temporary = null;
string folder = options.DataFolder ?? string.Empty;
if (options.Smoke)
{
    temporary = Directory.CreateTempSubdirectory("few-shot-images-").FullName;
    folder = SyntheticImages.Write(temporary, options.Seed);
}

try
{
    (ImageSet Train, ImageSet Test) mnist, fashion;
    try
    {
        mnist = ImageSet.Load(Path.Combine(folder, "mnist"));
        fashion = ImageSet.Load(Path.Combine(folder, "fashion-mnist"));
    }
    catch (Exception exception) when (exception is IOException or InvalidDataException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine(exception.Message);
        return 1;
    }

    // Meta-training sees only the training files' images of base classes 0–6; meta-test draws from every image of 7–9.
    var training = new ClassBank(FewShotClasses.Training, [[mnist.Train], [fashion.Train]]);
    var test = new ClassBank(FewShotClasses.Test, [[mnist.Train, mnist.Test], [fashion.Train, fashion.Test]]);
    int[] shots = [1, 5];
    int needed = shots[^1] + Episode.QueriesPerClass;
    int smallest = Math.Min(training.SmallestClass, test.SmallestClass);
    if (smallest < needed)
    {
        Console.Error.WriteLine($"{folder}: a class has {smallest} images; an episode needs {needed} of each ({shots[^1]} support and {Episode.QueriesPerClass} query images).");
        return 1;
    }

    Console.WriteLine($"{FewShotClasses.TrainingClassCount} meta-training classes (at least {training.SmallestClass} images each), {FewShotClasses.TestClassCount} meta-test classes (at least {test.SmallestClass} each).");

    // The hypernetwork, meta-trained on the fixed episode pool: 16 episodes × 20 images (4 per label) per step.
    var model = new EpisodeHyper(maxTasks: 16, maxSamplesPerTask: EpisodeHyper.Way * Episode.QueriesPerClass);
    model.Initialize(options.Seed);
    model.Threads = 2;
    Console.WriteLine($"EpisodeHyper: θ of {EpisodeHyper.ParameterCount:N0} floats ({EpisodeHyper.TrainingEpisodes} episode embeddings of {EpisodeHyper.EmbeddingSize}, the shared convolutions, the generator of the {EpisodeNet.Layers[^1].WeightsLength + EpisodeNet.Layers[^1].BiasLength:N0}-weight head).");
    Console.WriteLine($"Meta-training on {EpisodeHyper.TrainingEpisodes} episodes, {options.Steps:N0} steps of 16 episodes × 20 images:");
    var trainer = new Trainer(model, new Adam(model), new MetaTrainingSampler(training, EpisodeHyper.TrainingEpisodes, EpisodeHyper.Way, options.Seed), new TrainerOptions
    {
        Steps = options.Steps,
        TasksPerStep = 16,
        SamplesPerTask = 20,
        Loss = Loss.SoftmaxCrossEntropy,
        Seed = options.Seed,
        Schedule = new CosineSchedule(peak: 1e-3f, totalSteps: options.Steps, warmupSteps: Math.Min(300, options.Steps / 10), minimum: 1e-5f),
        ClipNorm = 10f,
        MetricsPath = options.MetricsPath,
        CheckpointPath = options.CheckpointPath,
        Progress = Console.Out,
    });
    TrainingSummary summary = trainer.Run();
    Console.WriteLine($"Meta-training loss {summary.FirstLoss:F3} -> {summary.RecentLoss:F4} in {summary.Elapsed.TotalSeconds:F0} s.");

    Console.WriteLine($"Training the pooled network on all {FewShotClasses.TrainingClassCount} meta-training classes, {options.PooledSteps:N0} steps of 128 images:");
    float[] features = FinetuneLearner.TrainPooled(training, options.PooledSteps, options.Seed, Console.Out);

    // Every method's settings, chosen per shot count on episodes of meta-training classes.
    TrainingSetting[] scratchCandidates = [new(3e-4f, 200), new(1e-3f, 100), new(1e-3f, 200), new(3e-3f, 100)];
    TrainingSetting[] finetuneCandidates = [new(3e-4f, 1000), new(1e-3f, 300), new(1e-3f, 1000), new(1e-2f, 200)];
    // The hypernetwork's adaptation too: Adam on the embedding, from the best of the mean embedding and 64 table rows.
    AdaptationSetting[] adaptationCandidates = [new(0.02f, 300), new(0.05f, 100), new(0.05f, 300)];
    string[] methods = ["hypernetwork", "nearest_mean", "scratch", "finetune"];
    var results = new Estimate[shots.Length, methods.Length];
    var settings = new Dictionary<string, object>();
    for (int k = 0; k < shots.Length; k++)
    {
        int shot = shots[k];
        Console.WriteLine($"5-way {shot}-shot: choosing each method's settings on {options.SelectionEpisodes} episodes of meta-training classes...");
        (AdaptationSetting adaptation, _) = EpisodeEvaluation.Select(training, adaptationCandidates, s => new HypernetworkLearner(model, s.Options), shot, options.SelectionEpisodes, options.Seed + 100 + k, Console.Out, "hypernetwork");
        (TrainingSetting scratch, _) = EpisodeEvaluation.Select(training, scratchCandidates, s => new ScratchLearner(s, options.Seed), shot, options.SelectionEpisodes, options.Seed + 100 + k, Console.Out, "scratch");
        (TrainingSetting finetune, _) = EpisodeEvaluation.Select(training, finetuneCandidates, s => new FinetuneLearner(features, s, options.Seed), shot, options.SelectionEpisodes, options.Seed + 100 + k, Console.Out, "finetune");
        settings[$"k{shot}_hypernetwork"] = adaptation.ToString();
        settings[$"k{shot}_scratch"] = scratch.ToString();
        settings[$"k{shot}_finetune"] = finetune.ToString();

        Console.WriteLine($"5-way {shot}-shot: {options.Episodes} episodes of the meta-test classes, {Episode.QueriesPerClass} queries per class:");
        IEpisodeLearner[] learners =
        [
            new HypernetworkLearner(model, adaptation.Options),
            new NearestMeanLearner(),
            new ScratchLearner(scratch, options.Seed + 1),
            new FinetuneLearner(features, finetune, options.Seed + 1),
        ];
        List<double>[] accuracies = EpisodeEvaluation.Run(test, learners, shot, options.Episodes, options.Seed + 2000 + k, Console.Out, $"{shot}-shot");
        for (int m = 0; m < methods.Length; m++)
        {
            results[k, m] = Estimate.Of(accuracies[m]);
        }
    }

    double seconds = clock.Elapsed.TotalSeconds;
    Console.WriteLine();
    Console.WriteLine($"5-way query accuracy on unseen classes over {options.Episodes} episodes (mean ± 95 % interval):");
    Console.WriteLine($"  {"method",-14}{string.Join(string.Empty, shots.Select(s => $"{s + "-shot",-22}"))}");
    for (int m = 0; m < methods.Length; m++)
    {
        Console.WriteLine($"  {methods[m],-14}{string.Join(string.Empty, Enumerable.Range(0, shots.Length).Select(k => $"{results[k, m].ToPercent(),-22}"))}");
    }

    foreach ((string name, object setting) in settings)
    {
        Console.WriteLine($"  setting chosen on meta-training classes, {name}: {setting}");
    }

    Console.WriteLine($"Total {seconds / 60:F1} min.");

    if (options.JsonPath is not null)
    {
        var document = new Dictionary<string, object>();
        for (int k = 0; k < shots.Length; k++)
        {
            document[$"k{shots[k]}_accuracy"] = results[k, 0].Mean;
            document[$"k{shots[k]}_ci95"] = results[k, 0].HalfWidth;
            for (int m = 1; m < methods.Length; m++)
            {
                document[$"k{shots[k]}_{methods[m]}_accuracy"] = results[k, m].Mean;
                document[$"k{shots[k]}_{methods[m]}_ci95"] = results[k, m].HalfWidth;
            }
        }

        document["way"] = EpisodeHyper.Way;
        document["episodes"] = options.Episodes;
        document["meta_training_steps"] = options.Steps;
        document["settings"] = settings;
        document["seed"] = options.Seed;
        document["seconds"] = Math.Round(seconds, 1);
        WriteAtomically(options.JsonPath, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Console.WriteLine($"Figures: {options.JsonPath}");
    }

    if (options.PlotPath is not null)
    {
        AccuracyPlot.Save(options.PlotPath, shots, methods, results);
        Console.WriteLine($"Plot: {options.PlotPath}");
    }

    // The synthetic classes of --smoke are bands a hypernetwork tells apart at once: one that does not is broken.
    if (options.Smoke && results[1, 0].Mean < 0.5)
    {
        Console.Error.WriteLine($"Smoke run: the hypernetwork got {results[1, 0].Mean:P1} of the 5-shot queries right; chance is 20 %.");
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

static void WriteAtomically(string path, string text)
{
    string full = Path.GetFullPath(path);
    Directory.CreateDirectory(Path.GetDirectoryName(full)!);
    string partial = full + ".partial";
    File.WriteAllText(partial, text);
    File.Move(partial, full, overwrite: true);
}
