using System;
using System.Collections.Generic;
using System.Linq;
using HyperDsl.Tests.Networks;
using HyperDsl.Tests.Numerics;
using HyperDsl.Tests.Reference;

namespace HyperDsl.Tests.Hyper;

/// <summary>The compiled small hypernetworks beside their references, whose architectures are written out again here.</summary>
public static class HyperCatalog
{
    public static readonly ReferenceNetwork Tiny = new(2, new[] { (3, Activation.Tanh), (2, Activation.Identity) });

    private static readonly Dictionary<string, (Type Type, ReferenceHyperNetwork Reference)> Entries = new()
    {
        ["FullEmbeddingHyper"] = (typeof(FullEmbeddingHyper), new ReferenceHyperNetwork(Tiny, tasks: 3, embeddingSize: 2, body: new[] { (4, Activation.Tanh) })),
        ["FullConditionHyper"] = (typeof(FullConditionHyper), new ReferenceHyperNetwork(Tiny, conditionSize: 3, body: new[] { (4, Activation.Sigmoid), (3, Activation.Gelu) })),
        ["FullBothHyper"] = (typeof(FullBothHyper), new ReferenceHyperNetwork(Tiny, tasks: 3, embeddingSize: 2, conditionSize: 2)),
        ["ChunkedEmbeddingHyper"] = (typeof(ChunkedEmbeddingHyper), new ReferenceHyperNetwork(Tiny, tasks: 3, embeddingSize: 2, chunkSize: 5, chunkEmbeddingSize: 2, body: new[] { (4, Activation.Silu) })),
        ["EluChunkedHyper"] = (typeof(EluChunkedHyper), new ReferenceHyperNetwork(Tiny, tasks: 2, embeddingSize: 2, chunkSize: 4, chunkEmbeddingSize: 2, body: new[] { (4, Activation.Elu), (3, Activation.Elu) })),
        ["ChunkedBothHyper"] = (typeof(ChunkedBothHyper), new ReferenceHyperNetwork(Tiny, tasks: 2, embeddingSize: 3, conditionSize: 2, chunkSize: 6, chunkEmbeddingSize: 3, body: new[] { (5, Activation.Tanh) })),
        ["ChunkLargerThanTargetHyper"] = (typeof(ChunkLargerThanTargetHyper), new ReferenceHyperNetwork(Tiny, conditionSize: 2, chunkSize: 40, chunkEmbeddingSize: 1, body: new[] { (3, Activation.Softplus) })),
        ["ConvFullHyper"] = (typeof(ConvFullHyper), new ReferenceHyperNetwork(
            ImageCatalog.Reference(nameof(ConvStridedNet)),
            tasks: 3,
            embeddingSize: 2,
            body: new[] { (4, Activation.Tanh) })),
        ["PoolChunkedHyper"] = (typeof(PoolChunkedHyper), new ReferenceHyperNetwork(
            ImageCatalog.Reference(nameof(PoolNet)),
            conditionSize: 2,
            chunkSize: 16,
            chunkEmbeddingSize: 2,
            body: new[] { (5, Activation.Tanh) })),
        ["ResidualImageHyper"] = (typeof(ResidualImageHyper), new ReferenceHyperNetwork(
            ImageCatalog.Reference(nameof(ResidualImageNet)),
            tasks: 2,
            embeddingSize: 2,
            conditionSize: 1)),
        ["SharedFullHyper"] = (typeof(SharedFullHyper), new ReferenceHyperNetwork(
            ImageCatalog.Reference(nameof(MixedSharingNet)),
            tasks: 3,
            embeddingSize: 2,
            body: new[] { (4, Activation.Tanh) },
            sharedLayers: new[] { 0, 3 })),
        ["SharedChunkedHyper"] = (typeof(SharedChunkedHyper), new ReferenceHyperNetwork(
            ImageCatalog.Reference(nameof(MixedSharingNet)),
            conditionSize: 2,
            chunkSize: 7,
            chunkEmbeddingSize: 2,
            body: new[] { (5, Activation.Sigmoid) },
            sharedLayers: new[] { 0, 3 })),
        ["ChunkAttentionHyper"] = (typeof(ChunkAttentionHyper), new ReferenceHyperNetwork(
            Tiny,
            tasks: 3,
            embeddingSize: 2,
            chunkSize: 5,
            chunkEmbeddingSize: 2,
            body: new[] { (4, Activation.Tanh) },
            chunkAttention: new[] { new ReferenceAttention(4, 2, 5), new ReferenceAttention(4, 4, 3) })),
        ["TorchOrderFullHyper"] = (typeof(TorchOrderFullHyper), new ReferenceHyperNetwork(Tiny, tasks: 3, embeddingSize: 2, body: new[] { (4, Activation.Tanh) }, generatedOrder: Tiny.TorchOrder())),
        ["TorchOrderChunkedHyper"] = (typeof(TorchOrderChunkedHyper), new ReferenceHyperNetwork(Tiny, tasks: 2, embeddingSize: 2, conditionSize: 1, chunkSize: 5, chunkEmbeddingSize: 2, body: new[] { (4, Activation.Elu) }, generatedOrder: Tiny.TorchOrder())),
        ["WideHeadHyper"] = (typeof(WideHeadHyper), new ReferenceHyperNetwork(Tiny, tasks: 2, embeddingSize: 2, chunkSize: 605, chunkEmbeddingSize: 2, body: new[] { (5, Activation.Tanh) })),
    };

    public static IEnumerable<object[]> Names => Entries.Keys.Select(name => new object[] { name });

    public static IEnumerable<object[]> NamesAndLosses
        => from name in Entries.Keys
           from loss in Enum.GetValues<Loss>()
           select new object[] { name, loss };

    public static (IHyperModel Model, ReferenceHyperNetwork Reference) Create(string name, int maxTasks, int maxSamplesPerTask)
    {
        (Type type, ReferenceHyperNetwork reference) = Entries[name];
        var model = (IHyperModel)Activator.CreateInstance(type, maxTasks, maxSamplesPerTask)!;
        return (model, reference);
    }
}

/// <summary>A seeded meta-batch for a hypernetwork: ids (one repeated, when there is a table), inputs, targets, conditions.</summary>
public sealed class HyperBatchData
{
    public HyperBatchData(ReferenceHyperNetwork reference, int tasks, int samples, Loss loss, int seed)
    {
        var random = new Random(seed);
        Tasks = tasks;
        Samples = samples;
        TaskIds = reference.Tasks > 0 ? Enumerable.Range(0, tasks).Select(t => t == tasks - 1 && tasks > 1 ? 0 : t % reference.Tasks).ToArray() : Array.Empty<int>();
        Inputs = RandomData.Uniform(tasks * samples * reference.Target.InputSize, -1f, 1f, random);
        Conditions = RandomData.Uniform(tasks * reference.ConditionSize, -1f, 1f, random);
        int outputSize = reference.Target.OutputSize;
        Targets = loss switch
        {
            Loss.MeanSquaredError => RandomData.Uniform(tasks * samples * outputSize, -1f, 1f, random),
            Loss.BinaryCrossEntropy => RandomData.Uniform(tasks * samples * outputSize, 0f, 1f, random),
            Loss.MaskedSoftmaxCrossEntropy => Heads(Probabilities(tasks * samples, outputSize, random), outputSize, random),
            _ => Probabilities(tasks * samples, outputSize, random),
        };
    }

    public int Tasks { get; }

    public int Samples { get; }

    public int[] TaskIds { get; }

    public float[] Inputs { get; }

    public float[] Targets { get; }

    public float[] Conditions { get; }

    public TaskBatch Batch => new(TaskIds, Inputs, Targets, Samples, Conditions);

    public static double[] ToDouble(ReadOnlySpan<float> values) => values.ToArray().Select(v => (double)v).ToArray();

    /// <summary>
    /// Each row's targets kept on a head — a run of outputs at a random start, of a random length of at least one — and
    /// NaN elsewhere: what a multi-head network's batch gives MaskedSoftmaxCrossEntropy.
    /// </summary>
    public static float[] Heads(float[] targets, int width, Random random)
    {
        for (int r = 0; r < targets.Length / width; r++)
        {
            int start = random.Next(width);
            int length = 1 + random.Next(width - start);
            for (int k = 0; k < width; k++)
            {
                targets[(r * width) + k] = k >= start && k < start + length ? targets[(r * width) + k] : float.NaN;
            }
        }

        return targets;
    }

    private static float[] Probabilities(int rows, int width, Random random)
    {
        var values = RandomData.Uniform(rows * width, 0.05f, 1f, random);
        for (int r = 0; r < rows; r++)
        {
            float sum = values.AsSpan(r * width, width).ToArray().Sum();
            for (int k = 0; k < width; k++)
            {
                values[(r * width) + k] /= sum;
            }
        }

        return values;
    }
}
