using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using Sinusoid;

namespace FewShotImages;

/// <summary>Runs few-shot learners over the same drawn episodes, so that their accuracies compare episode by episode.</summary>
public static class EpisodeEvaluation
{
    /// <summary>Each learner's query accuracy on each of <paramref name="episodes"/> episodes drawn from <paramref name="bank"/> with <paramref name="seed"/>.</summary>
    public static List<double>[] Run(ClassBank bank, IReadOnlyList<IEpisodeLearner> learners, int shots, int episodes, int seed, TextWriter? progress, string what)
    {
        var random = new Random(seed);
        var episode = new Episode(EpisodeHyper.Way, shots);
        float[] scores = new float[episode.QueryCount * episode.Way];
        var accuracies = new List<double>[learners.Count];
        for (int l = 0; l < learners.Count; l++)
        {
            accuracies[l] = new List<double>(episodes);
        }

        var clock = Stopwatch.StartNew();
        TimeSpan lastReport = TimeSpan.Zero;
        for (int e = 0; e < episodes; e++)
        {
            episode.Draw(bank, random, shots);
            for (int l = 0; l < learners.Count; l++)
            {
                learners[l].Score(episode, scores);
                accuracies[l].Add(episode.Accuracy(scores));
            }

            if (progress is not null && (clock.Elapsed - lastReport > TimeSpan.FromSeconds(10) || e + 1 == episodes))
            {
                lastReport = clock.Elapsed;
                double eta = clock.Elapsed.TotalSeconds / (e + 1) * (episodes - e - 1);
                progress.WriteLine($"  {what}: episode {e + 1}/{episodes}, {clock.Elapsed.TotalSeconds:F0} s, ETA {eta:F0} s");
            }
        }

        return accuracies;
    }

    /// <summary>
    /// The setting whose learner scores best on <paramref name="episodes"/> episodes of <paramref name="bank"/> — the
    /// meta-training classes, so that nothing about the test classes steers the choice.
    /// </summary>
    public static (TSetting Best, double Accuracy) Select<TSetting>(
        ClassBank bank, IReadOnlyList<TSetting> candidates, Func<TSetting, IEpisodeLearner> create, int shots, int episodes, int seed, TextWriter? progress, string what)
    {
        var learners = new List<IEpisodeLearner>();
        foreach (TSetting candidate in candidates)
        {
            learners.Add(create(candidate));
        }

        List<double>[] accuracies = Run(bank, learners, shots, episodes, seed, null, what);
        int best = 0;
        double bestAccuracy = double.NegativeInfinity;
        for (int i = 0; i < candidates.Count; i++)
        {
            double accuracy = Estimate.Of(accuracies[i]).Mean;
            progress?.WriteLine($"  {what}, {candidates[i]}: {100 * accuracy:F2} % on {episodes} meta-training-class episodes");
            if (accuracy > bestAccuracy)
            {
                best = i;
                bestAccuracy = accuracy;
            }
        }

        return (candidates[best], bestAccuracy);
    }
}
