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
bool smoke = args.Contains("--smoke");
Job job = smoke
    ? Job.Dry.WithToolchain(InProcessEmitToolchain.Instance)
    : Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(5).WithIterationCount(15);
IConfig config = ManualConfig.CreateMinimumViable()
    .AddJob(job)
    .AddDiagnoser(MemoryDiagnoser.Default)
    .WithOptions(ConfigOptions.DisableLogFile)
    .WithArtifactsPath(Path.Combine("artifacts", "benchmarks"));

Summary[] summaries = BenchmarkRunner.Run(new[] { typeof(PeakBenchmarks), typeof(TrainingBenchmarks), typeof(ScalarTrainingBenchmarks), typeof(InferenceBenchmarks) }, config);
var results = new Dictionary<string, (double Nanoseconds, long Bytes)>();
foreach (BenchmarkReport report in summaries.SelectMany(summary => summary.Reports))
{
    if (report.ResultStatistics is null)
    {
        Console.Error.WriteLine($"No result for {report.BenchmarkCase.DisplayInfo}.");
        return 1;
    }

    string parameters = string.Join(",", report.BenchmarkCase.Parameters.Items.Select(p => p.Value));
    string key = report.BenchmarkCase.Descriptor.WorkloadMethod.Name + (parameters.Length > 0 ? "(" + parameters + ")" : string.Empty);
    results[key] = (report.ResultStatistics.Median, report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0);
}

string table = Report.Write(results, smoke);
Console.WriteLine(table);
Directory.CreateDirectory(Path.Combine("artifacts", "benchmarks"));
File.WriteAllText(Path.Combine("artifacts", "benchmarks", "report.md"), table);
return 0;

/// <summary>The report: times, allocations, ratios to the baselines, and GFLOP/s as a fraction of the measured peak.</summary>
internal static class Report
{
    public static string Write(Dictionary<string, (double Nanoseconds, long Bytes)> results, bool smoke)
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        double peak = PeakBenchmarks.Flops / results["FmaChain"].Nanoseconds;
        var text = new StringBuilder();
        if (smoke)
        {
            text.AppendLine("Smoke run (one iteration each): the figures below are not measurements.");
        }

        double twoThreadPeak = 2 * PeakBenchmarks.Flops / results["FmaChainTwoThreads"].Nanoseconds;
        text.AppendLine(invariant, $"Medians. Measured FMA peak (16 independent chains, one core): {peak:F1} GFLOP/s; two threads at once: {twoThreadPeak:F1} GFLOP/s ({twoThreadPeak / peak:F2}× one).");
        text.AppendLine();
        text.AppendLine("| training step (ComputeGradients + Adam) | threads | time | GFLOP/s | of peak | allocated | scalar C# | scalar / HyperDsl |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (string configuration in new[] { "small", "large" })
        {
            double flops = configuration == "small"
                ? 3.0 * 2 * 25 * ((8 * 64) + (64 * 1761) + (10 * ((1 * 40) + (40 * 40) + (40 * 1))))
                : 3.0 * 2 * 16 * ((32 * 256) + (256 * 85002) + (64 * ((64 * 256) + (256 * 256) + (256 * 10))));
            (double scalar, _) = results[$"ScalarStep({configuration})"];
            foreach (int threads in new[] { 1, 2 })
            {
                (double time, long bytes) = results[$"HyperDslStep({configuration},{threads})"];
                double gflops = flops / time;
                text.AppendLine(invariant, $"| {configuration} | {threads} | {Time(time)} | {gflops:F1} | {gflops / peak:P0} | {bytes} B | {Time(scalar)} | {scalar / time:F1}× |");
            }
        }

        text.AppendLine();
        text.AppendLine("| inference (small configuration, 1 thread) | HyperDsl | allocated | scalar C# | ONNX Runtime | allocated | scalar / HyperDsl | ONNX Runtime / HyperDsl |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach ((string name, string label) in new[]
        {
            ("Generate", "generate W for one task"),
            ("Forward1", "target forward, 1 sample, W cached"),
            ("Forward10", "target forward, 10 samples, W cached"),
            ("GenerateForward1", "generate W + forward, 1 sample"),
        })
        {
            (double ours, long bytes) = results[name + "HyperDsl"];
            (double scalar, _) = results[name + "Scalar"];
            (double onnx, long onnxBytes) = results[name + "Onnx"];
            text.AppendLine(invariant, $"| {label} | {Time(ours)} | {bytes} B | {Time(scalar)} | {Time(onnx)} | {onnxBytes} B | {scalar / ours:F1}× | {onnx / ours:F1}× |");
        }

        text.AppendLine();
        (double read, _) = results["ReadHeadWeights"];
        (double generate, _) = results["GenerateHyperDsl"];
        text.AppendLine(invariant, $"Reading the head's weights once (the floor under Generate): {Time(read)}; Generate takes {generate / read:F2}× that.");
        return text.ToString();
    }

    private static string Time(double nanoseconds) => nanoseconds switch
    {
        >= 1e6 => (nanoseconds / 1e6).ToString("F2", CultureInfo.InvariantCulture) + " ms",
        >= 1e3 => (nanoseconds / 1e3).ToString("F2", CultureInfo.InvariantCulture) + " µs",
        _ => nanoseconds.ToString("F0", CultureInfo.InvariantCulture) + " ns",
    };
}
