using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using HyperDsl;
using HyperDsl.Training;
using Sinusoid;

// Few-shot sinusoid regression (Finn et al. 2017) with a hypernetwork: SineHyper learns an embedding for each of
// 1000 training sine curves and generates SineNet's 1761 weights from it; a curve never seen in training is then
// fitted from 5 or 10 points by adapting a fresh embedding, with the hypernetwork frozen. SineEncoderHyper instead
// reads a curve's support points through a task encoder and makes its network in one forward pass.
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
var family = new SinusoidFamily(SineHyper.Tasks, options.Seed);
var model = new SineHyper(maxTasks: 25, maxSamplesPerTask: 10);
model.Initialize(options.Seed);
var adaptation = new FewShotOptions(); // the defaults: 100 Adam steps at 0.05, from the best of the mean and 64 table rows
Console.WriteLine($"SineHyper: θ of {SineHyper.ParameterCount} floats generates SineNet's {SineHyper.TargetParameterCount} weights from an embedding of {SineHyper.EmbeddingSize}.");
Console.WriteLine($"Meta-training on {SineHyper.Tasks} sine curves, 25 tasks × 10 points per step, {options.Steps} steps:");

var trainer = new Trainer(model, new Adam(model), family, new TrainerOptions
{
    Steps = options.Steps,
    TasksPerStep = 25,
    SamplesPerTask = 10,
    Seed = options.Seed,
    Schedule = new CosineSchedule(peak: 2e-3f, totalSteps: options.Steps, warmupSteps: Math.Min(500, options.Steps / 10), minimum: 1e-5f),
    ClipNorm = 10f,
    EvaluateEvery = Math.Max(1, options.Steps / 5),
    Evaluate = () => FewShotEvaluation.Run(model, Array.Empty<EncoderMethod>(), PooledBaseline.Untrained, 50, options.Seed + 7, adaptation, examples: 0).FewShot10.Mean,
    EvaluationName = "K=10 MSE (50 held-out tasks)",
    MetricsPath = options.MetricsPath,
    CheckpointPath = options.CheckpointPath,
    Progress = Console.Out,
});
TrainingSummary training = trainer.Run();
Console.WriteLine($"Meta-training loss {training.FirstLoss:F3} -> {training.RecentLoss:F4} (mean of the last 100 steps) in {training.Elapsed.TotalSeconds:F1} s.");

// The encoder hypernetworks, each meta-trained on the same episodes of fresh curves.
var encoders = new List<EncoderMethod>
{
    new("encoder", "encoder (mean)", new SineEncoderHyper(EncoderTraining.TasksPerStep, FewShotEvaluation.QueryPoints, SinusoidEpisodes.MaxSupport)),
    new("attention", "encoder + set attention", new SineAttentionHyper(EncoderTraining.TasksPerStep, FewShotEvaluation.QueryPoints, SinusoidEpisodes.MaxSupport)),
    new("chunked", "encoder, chunked head", new SineChunkedEncoderHyper(EncoderTraining.TasksPerStep, FewShotEvaluation.QueryPoints, SinusoidEpisodes.MaxSupport)),
    new("hypertransformer", "chunked + attention across chunks", new SineHyperTransformer(EncoderTraining.TasksPerStep, FewShotEvaluation.QueryPoints, SinusoidEpisodes.MaxSupport)),
};
foreach (EncoderMethod method in encoders)
{
    method.Model.Initialize(options.Seed);
    Console.WriteLine($"Meta-training {method.Label} (θ of {((IHyperModel)method.Model).ParameterCount} floats) on fresh curves, {EncoderTraining.TasksPerStep} tasks × {SinusoidEpisodes.MinSupport}-{SinusoidEpisodes.MaxSupport} support and {EncoderTraining.QueryPoints} query points per step, {options.EncoderSteps} steps:");
    TrainingSummary summary = EncoderTraining.Run(method.Model, options.EncoderSteps, options.Seed + 3, Console.Out);
    Console.WriteLine($"{method.Label}: query loss {summary.FirstLoss:F3} -> {summary.RecentLoss:F4} (mean of the last 100 steps) in {summary.Elapsed.TotalSeconds:F1} s.");
}

Console.WriteLine("Training the pooled baseline (one SineNet on all tasks, no task information)...");
float[] pooled = PooledBaseline.Train(family, steps: 3000, seed: options.Seed);

Console.WriteLine($"Evaluating on {options.EvaluationTasks} unseen tasks, {FewShotEvaluation.QueryPoints} query points each...");
EvaluationResult result = FewShotEvaluation.Run(model, encoders, pooled, options.EvaluationTasks, options.Seed + 1000, adaptation);
double seconds = clock.Elapsed.TotalSeconds;

Console.WriteLine();
Console.WriteLine($"Query MSE over {options.EvaluationTasks} unseen tasks (mean ± 95% interval):");
Console.WriteLine($"  {"fitting an embedding, K = 5",-44} {result.FewShot5}");
Console.WriteLine($"  {"fitting an embedding, K = 10",-44} {result.FewShot10}");
foreach (EncoderResult encoder in result.Encoders)
{
    Console.WriteLine($"  {encoder.Method.Label + ", K = 5",-44} {encoder.K5}");
    Console.WriteLine($"  {encoder.Method.Label + ", K = 10",-44} {encoder.K10}");
}

Console.WriteLine($"  {"zero-shot (the mean embedding)",-44} {result.ZeroShot}");
Console.WriteLine($"  {"pooled SineNet (no task information)",-44} {result.Pooled}");
Console.WriteLine($"  for reference, MAML reports about 0.3 at K = 5 and 0.1 at K = 10 (Finn et al. 2017)");
Console.WriteLine($"Time to adapt to one new task, prediction excluded: fitting an embedding {result.AdaptMicrosecondsFit:F0} µs.");
foreach (EncoderResult encoder in result.Encoders)
{
    Console.WriteLine($"  {encoder.Method.Label}: {encoder.AdaptMicroseconds:F1} µs ({result.AdaptMicrosecondsFit / encoder.AdaptMicroseconds:F0}× less)");
}

Console.WriteLine($"Total {seconds:F1} s.");

SinusoidPlot.Save(options.PlotPath, model, result);
Console.WriteLine($"Plot of {result.Examples.Count} unseen tasks: {options.PlotPath}");
Console.WriteLine($"Checkpoint (load with Checkpoint.Load, or in PyTorch with safetensors): {options.CheckpointPath}");
if (options.JsonPath is not null)
{
    WriteJson(options.JsonPath, result, options, training, seconds);
    Console.WriteLine($"Figures: {options.JsonPath}");
}

return 0;

static void WriteJson(string path, EvaluationResult result, SampleOptions options, TrainingSummary training, double seconds)
{
    // Written to a temporary file and moved into place, so that a reader never sees half a file.
    string full = Path.GetFullPath(path);
    Directory.CreateDirectory(Path.GetDirectoryName(full)!);
    string temporary = full + ".tmp";
    using (var stream = File.Create(temporary))
    using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
    {
        json.WriteStartObject();
        json.WriteNumber("k5_mse", result.FewShot5.Mean);
        json.WriteNumber("k5_ci95", result.FewShot5.HalfWidth);
        json.WriteNumber("k10_mse", result.FewShot10.Mean);
        json.WriteNumber("k10_ci95", result.FewShot10.HalfWidth);
        json.WriteNumber("adapt_us_fit", Math.Round(result.AdaptMicrosecondsFit, 2));
        foreach (EncoderResult encoder in result.Encoders)
        {
            json.WriteNumber($"{encoder.Method.Key}_k5_mse", encoder.K5.Mean);
            json.WriteNumber($"{encoder.Method.Key}_k5_ci95", encoder.K5.HalfWidth);
            json.WriteNumber($"{encoder.Method.Key}_k10_mse", encoder.K10.Mean);
            json.WriteNumber($"{encoder.Method.Key}_k10_ci95", encoder.K10.HalfWidth);
            json.WriteNumber($"adapt_us_{encoder.Method.Key}", Math.Round(encoder.AdaptMicroseconds, 2));
        }

        json.WriteNumber("zero_shot_mse", result.ZeroShot.Mean);
        json.WriteNumber("zero_shot_ci95", result.ZeroShot.HalfWidth);
        json.WriteNumber("pooled_mse", result.Pooled.Mean);
        json.WriteNumber("pooled_ci95", result.Pooled.HalfWidth);
        json.WriteNumber("evaluation_tasks", options.EvaluationTasks);
        json.WriteNumber("steps", training.Steps);
        json.WriteNumber("encoder_steps", options.EncoderSteps);
        json.WriteNumber("final_training_loss", training.RecentLoss);
        json.WriteNumber("seconds", Math.Round(seconds, 2));
        json.WriteNumber("seed", options.Seed);
        json.WriteEndObject();
    }

    File.Move(temporary, full, overwrite: true);
}
