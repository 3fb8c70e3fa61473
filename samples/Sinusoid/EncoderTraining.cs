using System;
using System.IO;
using HyperDsl;
using HyperDsl.Training;

namespace Sinusoid;

/// <summary>
/// Episodes of fresh sine curves for the encoder hypernetwork: each task has a support set of 5 to 10 points, which
/// the encoder reads, and query points, on which the loss is taken — so the model learns to turn a support set into a
/// network, end to end.
/// </summary>
public sealed class SinusoidEpisodes : IEpisodeSampler
{
    public const int MinSupport = 5;
    public const int MaxSupport = 10;

    /// <inheritdoc/>
    public void Sample(Random random, Span<int> taskIds, Span<float> conditions, Span<int> supportSizes, Span<float> supportInputs, Span<float> supportTargets, Span<float> queryInputs, Span<float> queryTargets, int queryPerTask)
    {
        int pairs = 0;
        for (int t = 0; t < supportSizes.Length; t++)
        {
            SineTask task = SinusoidFamily.Draw(random);
            supportSizes[t] = random.Next(MinSupport, MaxSupport + 1);
            SinusoidFamily.Points(task, random, supportInputs.Slice(pairs, supportSizes[t]), supportTargets.Slice(pairs, supportSizes[t]));
            SinusoidFamily.Points(task, random, queryInputs.Slice(t * queryPerTask, queryPerTask), queryTargets.Slice(t * queryPerTask, queryPerTask));
            pairs += supportSizes[t];
        }
    }
}

/// <summary>Meta-training of an encoder hypernetwork with the library's trainer, on the episodes above.</summary>
public static class EncoderTraining
{
    public const int TasksPerStep = 25;
    public const int QueryPoints = 10;

    public static TrainingSummary Run(HyperNetworkModel<SineNet> model, int steps, int seed, TextWriter progress)
    {
        var trainer = new Trainer(model, new Adam(model), new SinusoidEpisodes(), new TrainerOptions
        {
            Steps = steps,
            TasksPerStep = TasksPerStep,
            SamplesPerTask = QueryPoints,
            Seed = seed,
            Schedule = new CosineSchedule(peak: 2e-3f, totalSteps: steps, warmupSteps: Math.Min(500, steps / 10), minimum: 1e-5f),
            ClipNorm = 10f,
            Progress = progress,
        });
        return trainer.Run();
    }
}
