using System;
using System.Collections.Generic;
using System.Linq;

namespace HyperDsl.Tests.Reference;

/// <summary>
/// The oracle for generated hypernetworks, in double precision and written from the definitions: θ = [embedding table ;
/// generator network g (body, then a head to P or ChunkSize outputs) ; chunk embeddings], g's input [embedding ;
/// condition ; chunk embedding k], W the first P outputs of the chunks in order, multiplied (chunked only) by the fixed
/// hyperfan factor of each target layer (√(gain/(2·fan-in)) for weights, √(gain/2) for biases, 0.1 for a LayerNorm's
/// γ and β) and shifted by 1 for a LayerNorm's γ. With a task encoder E (after the shared layers in θ), g's input is
/// [embedding ; condition ; mean over the support pairs of E([x ; y]) ; chunk embedding k].
/// </summary>
public sealed class ReferenceHyperNetwork
{
    public ReferenceHyperNetwork(
        IReferenceTarget target,
        int tasks = 0,
        int embeddingSize = 0,
        int conditionSize = 0,
        int chunkSize = 0,
        int chunkEmbeddingSize = 0,
        IEnumerable<(int Units, Activation Activation)>? body = null,
        IEnumerable<int>? sharedLayers = null,
        ReferenceNetwork? encoder = null,
        IEnumerable<ReferenceAttention>? setAttention = null,
        IEnumerable<ReferenceAttention>? chunkAttention = null,
        int[]? generatedOrder = null)
    {
        GeneratedOrder = generatedOrder;
        ChunkAttention = (chunkAttention ?? Array.Empty<ReferenceAttention>()).ToArray();
        Encoder = encoder;
        SetAttention = (setAttention ?? Array.Empty<ReferenceAttention>()).ToArray();
        EncodingSize = encoder?.OutputSize ?? 0;
        Target = target;
        Tasks = tasks;
        EmbeddingSize = embeddingSize;
        ConditionSize = conditionSize;
        ChunkSize = chunkSize;
        ChunkEmbeddingSize = chunkEmbeddingSize;
        Shared = new bool[target.ParameterCount];
        var ranges = target.LayerParameters();
        foreach (int layer in sharedLayers ?? Array.Empty<int>())
        {
            Array.Fill(Shared, true, ranges[layer].Start, ranges[layer].Length);
        }

        SharedCount = Shared.Count(shared => shared);
        int generated = target.ParameterCount - SharedCount;
        ChunkCount = chunkSize > 0 ? (generated + chunkSize - 1) / chunkSize : 1;
        int headUnits = chunkSize > 0 ? chunkSize : generated;
        Generator = new ReferenceNetwork(embeddingSize + conditionSize + EncodingSize + chunkEmbeddingSize, (body ?? Array.Empty<(int, Activation)>()).Append((headUnits, Activation.Identity)));
        ParameterCount = (tasks * embeddingSize) + Generator.ParameterCount + (ChunkCount * chunkEmbeddingSize) + SharedCount + (encoder?.ParameterCount ?? 0) + SetAttention.Sum(block => block.ParameterCount) + ChunkAttention.Sum(block => block.ParameterCount);
    }

    /// <summary>The same hypernetwork with a chunked head's hyperfan factors all 1, as <see cref="HyperfanInit.Xavier"/> sets them.</summary>
    public ReferenceHyperNetwork WithUnscaledHead() => new(this);

    private ReferenceHyperNetwork(ReferenceHyperNetwork scaled)
    {
        Target = scaled.Target;
        Tasks = scaled.Tasks;
        EmbeddingSize = scaled.EmbeddingSize;
        ConditionSize = scaled.ConditionSize;
        ChunkSize = scaled.ChunkSize;
        ChunkEmbeddingSize = scaled.ChunkEmbeddingSize;
        Shared = scaled.Shared;
        SharedCount = scaled.SharedCount;
        ChunkCount = scaled.ChunkCount;
        Generator = scaled.Generator;
        ParameterCount = scaled.ParameterCount;
        Encoder = scaled.Encoder;
        EncodingSize = scaled.EncodingSize;
        SetAttention = scaled.SetAttention;
        ChunkAttention = scaled.ChunkAttention;
        GeneratedOrder = scaled.GeneratedOrder;
        unscaledHead = true;
    }

    private readonly bool unscaledHead;

    /// <summary>
    /// Where the head's outputs go in W, in the order it emits them (ParameterOrder.PyTorch); null when it emits W in
    /// order. No shared layers with it here.
    /// </summary>
    public int[]? GeneratedOrder { get; }

    /// <summary>Per parameter of W: whether its layer is shared (learned in θ, after the chunk embeddings).</summary>
    public bool[] Shared { get; }

    /// <summary>Floats of the shared layers in θ.</summary>
    public int SharedCount { get; }

    public IReferenceTarget Target { get; }

    /// <summary>The task encoder over support pairs [x ; y], or null.</summary>
    public ReferenceNetwork? Encoder { get; }

    /// <summary>Attention blocks across each task's chunk rows, between g's body and its head (their parameters end θ).</summary>
    public ReferenceAttention[] ChunkAttention { get; }

    /// <summary>Attention blocks across the support set, after the encoder (their parameters follow its).</summary>
    public ReferenceAttention[] SetAttention { get; }

    /// <summary>Width of the encoder's output (0: none).</summary>
    public int EncodingSize { get; }

    private int EncoderOffset => ChunkEmbeddingsOffset + (ChunkCount * ChunkEmbeddingSize) + SharedCount;

    /// <summary>
    /// The encoding of one support set: E on each pair [x ; y], the attention blocks across the set, then the mean over the pairs.
    /// </summary>
    public double[] Encode(IReadOnlyList<double> theta, IReadOnlyList<double> supportInputs, IReadOnlyList<double> supportTargets, int pairs)
    {
        double[] parameters = theta.Skip(EncoderOffset).Take(Encoder!.ParameterCount).ToArray();
        var rows = new List<double>();
        for (int r = 0; r < pairs; r++)
        {
            rows.AddRange(supportInputs.Skip(r * Target.InputSize).Take(Target.InputSize));
            rows.AddRange(supportTargets.Skip(r * Target.OutputSize).Take(Target.OutputSize));
        }

        double[] encoded = Encoder.Forward(parameters, rows, pairs);
        int offset = EncoderOffset + Encoder.ParameterCount;
        foreach (ReferenceAttention block in SetAttention)
        {
            encoded = block.Forward(theta.Skip(offset).Take(block.ParameterCount).ToArray(), encoded, pairs);
            offset += block.ParameterCount;
        }

        var mean = new double[EncodingSize];
        for (int r = 0; r < pairs; r++)
        {
            for (int j = 0; j < EncodingSize; j++)
            {
                mean[j] += encoded[(r * EncodingSize) + j] / pairs;
            }
        }

        return mean;
    }

    /// <summary>
    /// The mean loss of a meta-batch whose tasks carry support sets: each task's query loss under W = g([embedding ;
    /// condition ; its support set's encoding]), averaged over tasks. Support pairs are stored task after task.
    /// </summary>
    public double LossWithSupport(IReadOnlyList<double> theta, int[] taskIds, double[] inputs, double[] targets, int samples, double[] conditions, double[] supportInputs, double[] supportTargets, int[] supportSizes, Loss loss)
    {
        double total = 0;
        int first = 0;
        int tasks = supportSizes.Length;
        for (int t = 0; t < tasks; t++)
        {
            double[] embedding = EmbeddingSize > 0 ? Embedding(theta, taskIds[t]) : Array.Empty<double>();
            double[] condition = conditions.Skip(t * ConditionSize).Take(ConditionSize).ToArray();
            double[] encoding = Encode(theta, supportInputs.Skip(first * Target.InputSize).ToArray(), supportTargets.Skip(first * Target.OutputSize).ToArray(), supportSizes[t]);
            first += supportSizes[t];
            double[] weights = Generate(theta, embedding, condition.Concat(encoding).ToArray());
            total += ReferenceLosses.Value(
                loss,
                Target.Forward(weights, inputs.Skip(t * samples * Target.InputSize).Take(samples * Target.InputSize).ToArray(), samples),
                targets.Skip(t * samples * Target.OutputSize).Take(samples * Target.OutputSize).ToArray(),
                samples,
                Target.OutputSize);
        }

        return total / tasks;
    }

    public ReferenceNetwork Generator { get; }

    public int Tasks { get; }

    public int EmbeddingSize { get; }

    public int ConditionSize { get; }

    public int ChunkSize { get; }

    public int ChunkEmbeddingSize { get; }

    public int ChunkCount { get; }

    public int ParameterCount { get; }

    private int GeneratorOffset => Tasks * EmbeddingSize;

    private int ChunkEmbeddingsOffset => GeneratorOffset + Generator.ParameterCount;

    public double[] Embedding(IReadOnlyList<double> theta, int task)
        => Enumerable.Range(task * EmbeddingSize, EmbeddingSize).Select(i => theta[i]).ToArray();

    /// <summary>W for the explicit embedding and condition (with an encoder: the condition followed by the encoding).</summary>
    public double[] Generate(IReadOnlyList<double> theta, IReadOnlyList<double> embedding, IReadOnlyList<double> condition)
    {
        double[] generator = theta.Skip(GeneratorOffset).Take(Generator.ParameterCount).ToArray();
        var rows = new List<double>();
        for (int k = 0; k < ChunkCount; k++)
        {
            rows.AddRange(embedding);
            rows.AddRange(condition);
            rows.AddRange(Enumerable.Range(ChunkEmbeddingsOffset + (k * ChunkEmbeddingSize), ChunkEmbeddingSize).Select(i => theta[i]));
        }

        double[] raw = ChunkAttention.Length == 0 ? Generator.Forward(generator, rows, ChunkCount) : AttendedGenerator(theta, generator, rows);
        double[] scale = unscaledHead ? Enumerable.Repeat(1.0, Target.ParameterCount).ToArray() : Target.HyperfanScale();
        double[] offsets = Target.ParameterOffsets();
        var weights = new double[Target.ParameterCount];
        int next = 0;
        int sharedOffset = ChunkEmbeddingsOffset + (ChunkCount * ChunkEmbeddingSize);
        int nextShared = 0;
        if (GeneratedOrder is not null)
        {
            // The head's j-th output is W[order[j]] (chunked: scaled and shifted as that parameter of W).
            for (int j = 0; j < GeneratedOrder.Length; j++)
            {
                int p = GeneratedOrder[j];
                weights[p] = ChunkSize > 0 ? (raw[j] * scale[p]) + offsets[p] : raw[j];
            }

            return weights;
        }

        for (int p = 0; p < weights.Length; p++)
        {
            // Generated parameters are the head's outputs in order (chunked: scaled and shifted); shared ones come from θ.
            weights[p] = Shared[p]
                ? theta[sharedOffset + nextShared++]
                : ChunkSize > 0 ? (raw[next++] * scale[p]) + offsets[p] : raw[next++];
        }

        return weights;
    }

    /// <summary>
    /// g with attention across the task's chunk rows: its body (every layer but the head) on each row, the blocks across
    /// the rows, then the head.
    /// </summary>
    private double[] AttendedGenerator(IReadOnlyList<double> theta, double[] generator, List<double> rows)
    {
        var layers = Generator.Layers;
        var body = new ReferenceNetwork(layers[0].Inputs, layers.Take(layers.Count - 1).Select(l => (l.Units, l.Activation)));
        var head = new ReferenceNetwork(layers[^1].Inputs, new[] { (layers[^1].Units, layers[^1].Activation) });
        double[] hidden = body.Forward(generator.Take(body.ParameterCount).ToArray(), rows, ChunkCount);
        int offset = ParameterCount - ChunkAttention.Sum(block => block.ParameterCount);
        foreach (ReferenceAttention block in ChunkAttention)
        {
            hidden = block.Forward(theta.Skip(offset).Take(block.ParameterCount).ToArray(), hidden, ChunkCount);
            offset += block.ParameterCount;
        }

        return head.Forward(generator.Skip(body.ParameterCount).ToArray(), hidden, ChunkCount);
    }

    /// <summary>The mean loss of a meta-batch: the mean over tasks of each task's mean loss.</summary>
    public double Loss(IReadOnlyList<double> theta, int[] taskIds, double[] inputs, double[] targets, int samples, double[] conditions, Loss loss, int tasks)
    {
        double total = 0;
        for (int t = 0; t < tasks; t++)
        {
            double[] embedding = EmbeddingSize > 0 ? Embedding(theta, taskIds[t]) : Array.Empty<double>();
            double[] condition = conditions.Skip(t * ConditionSize).Take(ConditionSize).ToArray();
            total += TaskLoss(theta, embedding, condition, inputs.Skip(t * samples * Target.InputSize).Take(samples * Target.InputSize).ToArray(), targets.Skip(t * samples * Target.OutputSize).Take(samples * Target.OutputSize).ToArray(), samples, loss);
        }

        return total / tasks;
    }

    /// <summary>One task's mean loss under W = g(embedding, condition).</summary>
    public double TaskLoss(IReadOnlyList<double> theta, double[] embedding, double[] condition, double[] inputs, double[] targets, int samples, Loss loss)
        => ReferenceLosses.Value(loss, Target.Forward(Generate(theta, embedding, condition), inputs, samples), targets, samples, Target.OutputSize);

    /// <summary>The hyperfan deviation of every target parameter (see <see cref="IReferenceTarget.HyperfanScale"/>).</summary>
    public static double[] HyperfanScale(IReferenceTarget target, bool fanOut = false) => target.HyperfanScale(fanOut);

    /// <summary>Kaiming's gain² for the activation that follows a layer.</summary>
    public static double Gain(Activation activation) => activation switch
    {
        Activation.Relu or Activation.LeakyRelu or Activation.Gelu or Activation.Silu or Activation.Softplus or Activation.Elu => 2.0,
        Activation.Tanh => 25.0 / 9.0,
        _ => 1.0,
    };
}

/// <summary>The losses in double precision, from their definitions.</summary>
public static class ReferenceLosses
{
    public static double Value(Loss loss, double[] outputs, double[] targets, int samples, int outputSize)
    {
        switch (loss)
        {
            case HyperDsl.Loss.MeanSquaredError:
                return outputs.Zip(targets, (y, t) => (y - t) * (y - t)).Sum() / outputs.Length;
            case HyperDsl.Loss.SoftmaxCrossEntropy:
                double total = 0;
                for (int n = 0; n < samples; n++)
                {
                    double[] logits = outputs.Skip(n * outputSize).Take(outputSize).ToArray();
                    double max = logits.Max();
                    double logSumExp = max + Math.Log(logits.Sum(y => Math.Exp(y - max)));
                    for (int k = 0; k < outputSize; k++)
                    {
                        total -= targets[(n * outputSize) + k] * (logits[k] - logSumExp);
                    }
                }

                return total / samples;
            case HyperDsl.Loss.MaskedSoftmaxCrossEntropy:
                // The softmax over the outputs with a target (not NaN) only.
                double masked = 0;
                for (int n = 0; n < samples; n++)
                {
                    int[] head = Enumerable.Range(n * outputSize, outputSize).Where(i => !double.IsNaN(targets[i])).ToArray();
                    double headMax = head.Max(i => outputs[i]);
                    double headLogSumExp = headMax + Math.Log(head.Sum(i => Math.Exp(outputs[i] - headMax)));
                    masked -= head.Sum(i => targets[i] * (outputs[i] - headLogSumExp));
                }

                return masked / samples;
            default:
                // −[t·log σ(y) + (1 − t)·log(1 − σ(y))], with log σ(y) = −softplus(−y).
                return outputs.Zip(targets, (y, t) => (t * Softplus(-y)) + ((1 - t) * Softplus(y))).Sum() / outputs.Length;
        }
    }

    private static double Softplus(double x) => Math.Max(x, 0) + ReferenceActivations.LogOnePlus(Math.Exp(-Math.Abs(x)));
}
