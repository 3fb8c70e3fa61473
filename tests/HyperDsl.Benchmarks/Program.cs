using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using HyperDsl.Benchmarks;

// Runs every benchmark in one process — HyperDsl, the scalar baseline, ONNX Runtime and the FMA peak side by side —
// then prints the ratios and the fraction of the measured peak, and writes them to artifacts/benchmarks/report.md.
//   dotnet run -c Release --project tests/HyperDsl.Benchmarks            the measured run
//   dotnet run -c Release --project tests/HyperDsl.Benchmarks -- --smoke each benchmark once, so that none rots
//   --suite dense | images | encoders   only the MLP configurations, only LeNet, or only adapting to a new task with a
//   task encoder (with the FMA peak each time); --rounds N
bool smoke = args.Contains("--smoke");
int rounds = smoke ? 1 : RoundsArgument(args);

// --suite dense (the MLP configurations), images (LeNet), encoders (adapting to a new task) or all; the FMA peak runs with each.
string suite = SuiteArgument(args);
var suites = new List<Type> { typeof(PeakBenchmarks) };
if (suite is "all" or "dense")
{
    suites.AddRange(new[] { typeof(TrainingBenchmarks), typeof(ScalarTrainingBenchmarks), typeof(InferenceBenchmarks) });
}

if (suite is "all" or "encoders")
{
    suites.Add(typeof(EncoderBenchmarks));
}

if (suite is "all" or "images")
{
    suites.AddRange(new[] { typeof(LeNetInferenceBenchmarks), typeof(LeNetTrainingBenchmarks), typeof(LeNetLayerBenchmarks) });
}

Job job = smoke
    ? Job.Dry.WithToolchain(InProcessEmitToolchain.Instance)
    : Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(5).WithIterationCount(15);
IConfig config = ManualConfig.CreateMinimumViable()
    .AddJob(job)
    .AddDiagnoser(MemoryDiagnoser.Default)
    .WithOptions(ConfigOptions.DisableLogFile)
    .WithArtifactsPath(Path.Combine("artifacts", "benchmarks"));

// Every benchmark runs `rounds` times; each round's median goes into the report as the median of the rounds, with
// their spread, since on a shared machine one run can be off by more than the differences that matter.
var results = new Dictionary<string, List<(double Nanoseconds, long Bytes)>>();
for (int round = 1; round <= rounds; round++)
{
    Console.WriteLine($"== round {round} of {rounds}");
    Summary[] summaries = BenchmarkRunner.Run(suites.ToArray(), config);
    foreach (BenchmarkReport report in summaries.SelectMany(summary => summary.Reports))
    {
        if (report.ResultStatistics is null)
        {
            Console.Error.WriteLine($"No result for {report.BenchmarkCase.DisplayInfo}.");
            return 1;
        }

        string parameters = string.Join(",", report.BenchmarkCase.Parameters.Items.Select(p => p.Value));
        string key = report.BenchmarkCase.Descriptor.WorkloadMethod.Name + (parameters.Length > 0 ? "(" + parameters + ")" : string.Empty);
        if (!results.TryGetValue(key, out var list))
        {
            results[key] = list = new List<(double, long)>();
        }

        list.Add((report.ResultStatistics.Median, report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0));
    }
}

string table = Report.Write(results.ToDictionary(pair => pair.Key, pair => new Measured(pair.Value)), smoke, rounds);
Console.WriteLine(table);
Directory.CreateDirectory(Path.Combine("artifacts", "benchmarks"));
File.WriteAllText(Path.Combine("artifacts", "benchmarks", "report.md"), table);
return 0;

static string SuiteArgument(string[] args)
{
    int at = Array.IndexOf(args, "--suite");
    string value = at >= 0 && at + 1 < args.Length ? args[at + 1] : "all";
    return value is "all" or "dense" or "images" or "encoders" ? value : throw new ArgumentException($"--suite must be all, dense, images or encoders, not '{value}'.");
}

static int RoundsArgument(string[] args)
{
    int at = Array.IndexOf(args, "--rounds");
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= 1 ? value : 3;
}

/// <summary>One benchmark's medians over the rounds: their median, their spread, and the largest allocation seen.</summary>
internal sealed class Measured
{
    public Measured(List<(double Nanoseconds, long Bytes)> rounds)
    {
        double[] times = rounds.Select(r => r.Nanoseconds).OrderBy(t => t).ToArray();
        Nanoseconds = times.Length % 2 == 1 ? times[times.Length / 2] : (times[(times.Length / 2) - 1] + times[times.Length / 2]) / 2;
        Low = times[0];
        High = times[^1];
        Bytes = rounds.Max(r => r.Bytes);
    }

    public double Nanoseconds { get; }

    public double Low { get; }

    public double High { get; }

    public long Bytes { get; }

    /// <summary>The spread of the rounds around the median, in percent: "−3 %/+5 %".</summary>
    public string Spread => string.Create(CultureInfo.InvariantCulture, $"−{(Nanoseconds - Low) / Nanoseconds:P0}/+{(High - Nanoseconds) / Nanoseconds:P0}").Replace(" %", "%");
}

/// <summary>The report: times, allocations, ratios to the baselines, and GFLOP/s as a fraction of the measured peak.</summary>
internal static class Report
{
    public static string Write(Dictionary<string, Measured> results, bool smoke, int rounds)
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        double peak = PeakBenchmarks.Flops / results["FmaChain"].Nanoseconds;
        var text = new StringBuilder();
        if (smoke)
        {
            text.AppendLine("Smoke run (one iteration each): the figures below are not measurements.");
        }

        double twoThreadPeak = 2 * PeakBenchmarks.Flops / results["FmaChainTwoThreads"].Nanoseconds;
        text.AppendLine(invariant, $"Medians of {rounds} rounds (each the median of its iterations), spread of the rounds beside. Measured FMA peak (16 independent chains, one core): {peak:F1} GFLOP/s ({results["FmaChain"].Spread}); two threads at once: {twoThreadPeak:F1} GFLOP/s ({twoThreadPeak / peak:F2}× one).");
        if (results.ContainsKey("ScalarStep(small)"))
        {
            WriteDense(text, results, peak);
        }

        if (results.ContainsKey("LeNetHyperStep(1)"))
        {
            WriteImages(text, results, peak);
        }

        if (results.ContainsKey("AdaptEncoderHyperDsl"))
        {
            WriteEncoders(text, results, peak);
        }

        return text.ToString();
    }

    private static void WriteDense(StringBuilder text, Dictionary<string, Measured> results, double peak)
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        text.AppendLine();
        text.AppendLine("| training step (ComputeGradients + Adam) | threads | time | spread | GFLOP/s | of peak | bytes moved (estimate) | GB/s | allocated | scalar C# | scalar / HyperDsl |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (string configuration in new[] { "small", "large" })
        {
            TrainingShape shape = configuration == "small" ? TrainingShape.Small : TrainingShape.Large;
            Measured scalar = results[$"ScalarStep({configuration})"];
            foreach (int threads in new[] { 1, 2 })
            {
                Measured step = results[$"HyperDslStep({configuration},{threads})"];
                double gflops = shape.Flops / step.Nanoseconds;
                text.AppendLine(invariant, $"| {configuration} | {threads} | {Time(step.Nanoseconds)} | {step.Spread} | {gflops:F1} | {gflops / peak:P0} | {shape.Bytes / 1e6:F1} MB | {shape.Bytes / step.Nanoseconds:F1} | {step.Bytes} B | {Time(scalar.Nanoseconds)} | {scalar.Nanoseconds / step.Nanoseconds:F1}× |");
            }
        }

        text.AppendLine();
        text.AppendLine("| inference (small configuration, 1 thread) | HyperDsl | spread | allocated | scalar C# | ONNX Runtime | allocated | scalar / HyperDsl | ONNX Runtime / HyperDsl |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach ((string name, string label) in new[]
        {
            ("Generate", "generate W for one task"),
            ("Forward1", "target forward, 1 sample, W cached"),
            ("Forward10", "target forward, 10 samples, W cached"),
            ("GenerateForward1", "generate W + forward, 1 sample"),
        })
        {
            Measured ours = results[name + "HyperDsl"];
            Measured scalar = results[name + "Scalar"];
            Measured onnx = results[name + "Onnx"];
            text.AppendLine(invariant, $"| {label} | {Time(ours.Nanoseconds)} | {ours.Spread} | {ours.Bytes} B | {Time(scalar.Nanoseconds)} | {Time(onnx.Nanoseconds)} | {onnx.Bytes} B | {scalar.Nanoseconds / ours.Nanoseconds:F1}× | {onnx.Nanoseconds / ours.Nanoseconds:F1}× |");
        }

        text.AppendLine();
        double read = results["ReadHeadWeights"].Nanoseconds;
        double generate = results["GenerateHyperDsl"].Nanoseconds;
        text.AppendLine(invariant, $"Reading the head's weights once (the floor under Generate): {Time(read)}; Generate takes {generate / read:F2}× that.");
    }

    private static void WriteImages(StringBuilder text, Dictionary<string, Measured> results, double peak)
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        text.AppendLine();
        text.AppendLine("| LeNet forward, W cached, 1 thread | HyperDsl | spread | allocated | scalar C# | ONNX Runtime | allocated | scalar / HyperDsl | ONNX Runtime / HyperDsl |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (int samples in new[] { 1, 64 })
        {
            Measured ours = results[$"LeNetForwardHyperDsl({samples})"];
            Measured scalar = results[$"LeNetForwardScalar({samples})"];
            Measured onnx = results[$"LeNetForwardOnnx({samples})"];
            text.AppendLine(invariant, $"| {samples} sample{(samples == 1 ? string.Empty : "s")} | {Time(ours.Nanoseconds)} | {ours.Spread} | {ours.Bytes} B | {Time(scalar.Nanoseconds)} | {Time(onnx.Nanoseconds)} | {onnx.Bytes} B | {scalar.Nanoseconds / ours.Nanoseconds:F1}× | {onnx.Nanoseconds / ours.Nanoseconds:F1}× |");
        }

        text.AppendLine();
        text.AppendLine(invariant, $"LeNetHyper training step: 2 tasks × {LeNetTrainingBenchmarks.Samples} images, softmax cross-entropy, Adam; decoder [embedding {LeNetHyper.EmbeddingSize} ; chunk embedding 16] → {LeNetTrainingBenchmarks.BodyWidth} (ReLU) → chunks of {LeNetHyper.ChunkSize} ({LeNetHyper.ChunkCount} per task), {LeNetHyper.ParameterCount:N0} parameters in θ; {LeNetTrainingBenchmarks.Flops / 1e6:F1} MFLOP per step.");
        text.AppendLine();
        text.AppendLine("| threads | time | spread | GFLOP/s | of one core's peak | allocated |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (int threads in new[] { 1, 2 })
        {
            Measured step = results[$"LeNetHyperStep({threads})"];
            double gflops = LeNetTrainingBenchmarks.Flops / step.Nanoseconds;
            text.AppendLine(invariant, $"| {threads} | {Time(step.Nanoseconds)} | {step.Spread} | {gflops:F1} | {gflops / peak:P0} | {step.Bytes} B |");
        }

        text.AppendLine();
        text.AppendLine("| LeNet layer alone, 64 samples | forward | backward (with input gradient) | allocated |");
        text.AppendLine("| --- | --- | --- | --- |");
        foreach (string layer in new[] { "Conv0", "MaxPool1", "Conv2", "MaxPool3", "Dense4", "Dense5", "Dense6" })
        {
            Measured forward = results[$"LayerForward({layer})"];
            Measured backward = results[$"LayerBackward({layer})"];
            text.AppendLine(invariant, $"| {layer} | {Time(forward.Nanoseconds)} | {Time(backward.Nanoseconds)} | {Math.Max(forward.Bytes, backward.Bytes)} B |");
        }
    }

    private static void WriteEncoders(StringBuilder text, Dictionary<string, Measured> results, double peak)
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        Measured encoder = results["AdaptEncoderHyperDsl"];
        text.AppendLine();
        text.AppendLine(invariant, $"| adapt to a new sine curve from {EncoderBenchmarks.Support} points and predict {EncoderBenchmarks.Queries}, 1 thread | time | spread | allocated | / encoder (HyperDsl) |");
        text.AppendLine("| --- | --- | --- | --- | --- |");
        foreach ((string name, string label) in new[]
        {
            ("AdaptEncoderHyperDsl", "task encoder, one forward pass (HyperDsl)"),
            ("AdaptEncoderOnnx", "the same graph in ONNX Runtime"),
            ("AdaptAttentionHyperDsl", "task encoder with a transformer block across the set (HyperDsl)"),
            ("AdaptFitHyperDsl", "fitting an embedding, FewShot.Adapt (HyperDsl)"),
        })
        {
            Measured measured = results[name];
            text.AppendLine(invariant, $"| {label} | {Time(measured.Nanoseconds)} | {measured.Spread} | {measured.Bytes} B | {measured.Nanoseconds / encoder.Nanoseconds:F1}× |");
        }

        Measured block = results["AttentionForwardBackward"];
        double gflops = EncoderBenchmarks.AttentionFlops / block.Nanoseconds;
        text.AppendLine();
        text.AppendLine(invariant, $"The sample's attention block alone (tokens of {EncoderBenchmarks.Block.Features}, {EncoderBenchmarks.Block.Heads} heads, feed-forward {EncoderBenchmarks.Block.FeedForward}, a set of {EncoderBenchmarks.AttentionTokens}), forward and backward: {Time(block.Nanoseconds)} ({block.Spread}), {EncoderBenchmarks.AttentionFlops / 1e3:F0} kFLOP, {gflops:F1} GFLOP/s, {gflops / peak:P0} of one core's peak, {block.Bytes} B allocated.");
    }

    private static string Time(double nanoseconds) => nanoseconds switch
    {
        >= 1e6 => (nanoseconds / 1e6).ToString("F2", CultureInfo.InvariantCulture) + " ms",
        >= 1e3 => (nanoseconds / 1e3).ToString("F2", CultureInfo.InvariantCulture) + " µs",
        _ => nanoseconds.ToString("F0", CultureInfo.InvariantCulture) + " ns",
    };
}
