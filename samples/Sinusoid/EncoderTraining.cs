using System;
using System.Diagnostics;
using System.IO;
using HyperDsl;
using HyperDsl.Training;

namespace Sinusoid;

/// <summary>
/// Meta-training of the encoder hypernetwork: each step draws 25 fresh curves, each with a support set of 5 to 10
/// points, which the encoder reads, and 10 query points, on which the loss is taken — so the model learns to turn a
/// support set into a network, end to end.
/// </summary>
public static class EncoderTraining
{
    public const int TasksPerStep = 25;
    public const int QueryPoints = 10;
    public const int MinSupport = 5;
    public const int MaxSupport = 10;

    /// <summary>Trains <paramref name="model"/> for <paramref name="steps"/> steps and returns the mean query loss of the last 100.</summary>
    public static (double FirstLoss, double RecentLoss, TimeSpan Elapsed) Run(SineEncoderHyper model, int steps, int seed, TextWriter progress)
    {
        var random = new Random(seed);
        var adam = new Adam(model);
        var schedule = new CosineSchedule(peak: 2e-3f, totalSteps: steps, warmupSteps: Math.Min(500, steps / 10), minimum: 1e-5f);
        int[] sizes = new int[TasksPerStep];
        float[] supportX = new float[TasksPerStep * MaxSupport];
        float[] supportY = new float[TasksPerStep * MaxSupport];
        float[] queryX = new float[TasksPerStep * QueryPoints];
        float[] queryY = new float[TasksPerStep * QueryPoints];
        var recent = new double[Math.Min(100, steps)];
        double first = 0;
        var clock = Stopwatch.StartNew();
        int report = Math.Max(1, steps / 5);
        for (int step = 1; step <= steps; step++)
        {
            int pairs = 0;
            for (int t = 0; t < TasksPerStep; t++)
            {
                SineTask task = SinusoidFamily.Draw(random);
                sizes[t] = random.Next(MinSupport, MaxSupport + 1);
                SinusoidFamily.Points(task, random, supportX.AsSpan(pairs, sizes[t]), supportY.AsSpan(pairs, sizes[t]));
                SinusoidFamily.Points(task, random, queryX.AsSpan(t * QueryPoints, QueryPoints), queryY.AsSpan(t * QueryPoints, QueryPoints));
                pairs += sizes[t];
            }

            var batch = new TaskBatch(ReadOnlySpan<int>.Empty, queryX, queryY, QueryPoints)
                .WithSupport(supportX.AsSpan(0, pairs), supportY.AsSpan(0, pairs), sizes);
            float loss = model.ComputeGradients(batch, Loss.MeanSquaredError);
            GradientClipping.ClipByNorm(model.Gradients, 10f);
            adam.LearningRate = schedule.LearningRate(step);
            adam.Step(model.Parameters, model.Gradients);
            if (step == 1)
            {
                first = loss;
            }

            recent[step % recent.Length] = loss;
            if (step % report == 0)
            {
                double elapsed = clock.Elapsed.TotalSeconds;
                progress.WriteLine($"  step {step,6}/{steps}  loss {loss,8:F4}  {step / elapsed,6:F0} steps/s  ETA {(steps - step) * elapsed / step,5:F1} s");
            }
        }

        double sum = 0;
        foreach (double value in recent)
        {
            sum += value;
        }

        return (first, sum / recent.Length, clock.Elapsed);
    }
}
