using System;
using HyperDsl;
using ImageTasks;

namespace FewShotImages;

/// <summary>
/// One N-way K-shot episode: K support images and <see cref="QueriesPerClass"/> query images for each of N classes; the
/// classes' order is the episode's labelling (class i is label i), so labels are permuted from episode to episode.
/// </summary>
public sealed class Episode
{
    public const int QueriesPerClass = 15;

    public Episode(int way, int maxShots)
    {
        Way = way;
        ClassIds = new int[way];
        SupportImages = new float[way * maxShots * ImageSet.Pixels];
        SupportTargets = new float[way * maxShots * way];
        SupportLabels = new int[way * maxShots];
        QueryImages = new float[way * QueriesPerClass * ImageSet.Pixels];
        QueryLabels = new int[way * QueriesPerClass];
    }

    public int Way { get; }

    /// <summary>The shots of the episode drawn last.</summary>
    public int Shots { get; private set; }

    /// <summary>The bank's class behind each label.</summary>
    public int[] ClassIds { get; }

    public float[] SupportImages { get; }

    /// <summary>One-hot labels of the support images.</summary>
    public float[] SupportTargets { get; }

    public int[] SupportLabels { get; }

    public float[] QueryImages { get; }

    public int[] QueryLabels { get; }

    public int SupportCount => Way * Shots;

    public int QueryCount => Way * QueriesPerClass;

    /// <summary>
    /// Draws <see cref="Way"/> distinct classes of <paramref name="bank"/> in random order and, for each, K + 15
    /// distinct images: the first K support, the rest queries. Support and query images are interleaved by label.
    /// </summary>
    public void Draw(ClassBank bank, Random random, int shots)
    {
        if (shots * Way > SupportLabels.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(shots), shots, $"this episode holds at most {SupportLabels.Length / Way} shots.");
        }

        if (bank.Classes.Count < Way)
        {
            throw new ArgumentException($"the bank has {bank.Classes.Count} classes; a {Way}-way episode needs {Way}.", nameof(bank));
        }

        Shots = shots;
        Span<int> chosen = stackalloc int[shots + QueriesPerClass];
        for (int label = 0; label < Way; label++)
        {
            int c = ClassIds[label] = DrawNew(random, bank.Classes.Count, ClassIds.AsSpan(0, label));
            DrawDistinct(random, bank.Count(c), chosen);
            for (int k = 0; k < shots; k++)
            {
                int row = (k * Way) + label;
                bank.Copy(c, chosen[k], SupportImages.AsSpan(row * ImageSet.Pixels, ImageSet.Pixels));
                SupportLabels[row] = label;
            }

            for (int q = 0; q < QueriesPerClass; q++)
            {
                int row = (q * Way) + label;
                bank.Copy(c, chosen[shots + q], QueryImages.AsSpan(row * ImageSet.Pixels, ImageSet.Pixels));
                QueryLabels[row] = label;
            }
        }

        Array.Clear(SupportTargets);
        for (int row = 0; row < SupportCount; row++)
        {
            SupportTargets[(row * Way) + SupportLabels[row]] = 1f;
        }
    }

    public ReadOnlySpan<float> Support => SupportImages.AsSpan(0, SupportCount * ImageSet.Pixels);

    public ReadOnlySpan<float> Targets => SupportTargets.AsSpan(0, SupportCount * Way);

    /// <summary>The share of queries whose largest score is their label; <paramref name="scores"/> is <c>[queries × Way]</c>.</summary>
    public double Accuracy(ReadOnlySpan<float> scores)
    {
        int correct = 0;
        for (int q = 0; q < QueryCount; q++)
        {
            ReadOnlySpan<float> row = scores.Slice(q * Way, Way);
            int best = 0;
            for (int c = 1; c < Way; c++)
            {
                best = row[c] > row[best] ? c : best;
            }

            correct += best == QueryLabels[q] ? 1 : 0;
        }

        return (double)correct / QueryCount;
    }

    /// <summary>Fills <paramref name="destination"/> with distinct indices below <paramref name="count"/>, in random order.</summary>
    internal static void DrawDistinct(Random random, int count, Span<int> destination)
    {
        if (count < destination.Length)
        {
            throw new InvalidOperationException($"{destination.Length} distinct indices cannot be drawn from {count}: a class has too few images, or a bank too few classes.");
        }

        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = DrawNew(random, count, destination[..i]);
        }
    }

    /// <summary>An index below <paramref name="count"/> that is not in <paramref name="taken"/>.</summary>
    private static int DrawNew(Random random, int count, ReadOnlySpan<int> taken)
    {
        int index;
        do
        {
            index = random.Next(count);
        }
        while (taken.Contains(index));
        return index;
    }
}

/// <summary>
/// Meta-training batches: a fixed pool of episodes (classes of the meta-training bank in a drawn order each; episode e
/// is the hypernetwork's task e), and for a drawn episode fresh images of its classes, an equal number per label.
/// </summary>
public sealed class MetaTrainingSampler : ITaskSampler
{
    private readonly ClassBank bank;
    private readonly int[][] episodes;
    private readonly int way;

    /// <param name="bank">The meta-training classes; a bank holding a meta-test class is refused.</param>
    /// <param name="episodeCount">The pool's size: the hypernetwork's task count.</param>
    /// <param name="way">Classes per episode.</param>
    /// <param name="seed">Fixes the pool.</param>
    public MetaTrainingSampler(ClassBank bank, int episodeCount, int way, int seed)
    {
        foreach (RotatedClass c in bank.Classes)
        {
            if (!FewShotClasses.IsTrainingLabel(c.Label))
            {
                throw new ArgumentException($"The meta-training bank holds {c}, a meta-test class.", nameof(bank));
            }
        }

        if (way > bank.Classes.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(way), way, $"the bank has {bank.Classes.Count} classes.");
        }

        this.bank = bank;
        this.way = way;
        var random = new Random(seed);
        episodes = new int[episodeCount][];
        for (int e = 0; e < episodes.Length; e++)
        {
            episodes[e] = new int[way];
            Episode.DrawDistinct(random, bank.Classes.Count, episodes[e]);
        }
    }

    public int EpisodeCount => episodes.Length;

    /// <summary>The bank's classes of training episode <paramref name="episode"/>, label by label.</summary>
    public ReadOnlySpan<int> Classes(int episode) => episodes[episode];

    public void Sample(Random random, Span<int> taskIds, Span<float> inputs, Span<float> targets, Span<float> conditions, int samplesPerTask)
    {
        targets.Clear();
        for (int t = 0; t < taskIds.Length; t++)
        {
            int episode = random.Next(episodes.Length);
            taskIds[t] = episode;
            for (int s = 0; s < samplesPerTask; s++)
            {
                int row = (t * samplesPerTask) + s;
                int label = s % way;
                int c = episodes[episode][label];
                bank.Copy(c, random.Next(bank.Count(c)), inputs.Slice(row * ImageSet.Pixels, ImageSet.Pixels));
                targets[(row * way) + label] = 1f;
            }
        }
    }
}
