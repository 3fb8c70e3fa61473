using System;
using System.Collections.Generic;
using System.Linq;

namespace HyperDsl.Tests.Reference;

/// <summary>
/// The oracle for generated hypernetworks, in double precision and written from the definitions: θ = [embedding table ;
/// generator network g (body, then a head to P or ChunkSize outputs) ; chunk embeddings], g's input [embedding ;
/// condition ; chunk embedding k], W the first P outputs of the chunks in order, multiplied (chunked only) by the fixed
/// hyperfan factor of each target layer: √(gain/(2·fan-in)) for weights, √(gain/2) for biases.
/// </summary>
public sealed class ReferenceHyperNetwork
{
    public ReferenceHyperNetwork(
        ReferenceNetwork target,
        int tasks = 0,
        int embeddingSize = 0,
        int conditionSize = 0,
        int chunkSize = 0,
        int chunkEmbeddingSize = 0,
        IEnumerable<(int Units, Activation Activation)>? body = null)
    {
        Target = target;
        Tasks = tasks;
        EmbeddingSize = embeddingSize;
        ConditionSize = conditionSize;
        ChunkSize = chunkSize;
        ChunkEmbeddingSize = chunkEmbeddingSize;
        ChunkCount = chunkSize > 0 ? (target.ParameterCount + chunkSize - 1) / chunkSize : 1;
        int headUnits = chunkSize > 0 ? chunkSize : target.ParameterCount;
        Generator = new ReferenceNetwork(embeddingSize + conditionSize + chunkEmbeddingSize, (body ?? Array.Empty<(int, Activation)>()).Append((headUnits, Activation.Identity)));
        ParameterCount = (tasks * embeddingSize) + Generator.ParameterCount + (ChunkCount * chunkEmbeddingSize);
    }

    public ReferenceNetwork Target { get; }

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

    /// <summary>W for the explicit embedding and condition.</summary>
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

        double[] raw = Generator.Forward(generator, rows, ChunkCount);
        double[] weights = raw.Take(Target.ParameterCount).ToArray();
        if (ChunkSize > 0)
        {
            double[] scale = HyperfanScale(Target);
            for (int p = 0; p < weights.Length; p++)
            {
                weights[p] *= scale[p];
            }
        }

        return weights;
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

    /// <summary>The hyperfan-in deviation of every target parameter: √(gain/(2·fan-in)) for weights, √(gain/2) for biases.</summary>
    public static double[] HyperfanScale(ReferenceNetwork target, bool fanOut = false)
    {
        var scale = new double[target.ParameterCount];
        for (int l = 0; l < target.Layers.Count; l++)
        {
            ReferenceLayer layer = target.Layers[l];
            double gain = Gain(layer.Activation);
            int weights = target.WeightsOffset(l);
            double fan = fanOut ? layer.Units : layer.Inputs;
            for (int i = 0; i < layer.Inputs * layer.Units; i++)
            {
                scale[weights + i] = Math.Sqrt(gain / (2 * fan));
            }

            for (int o = 0; o < layer.Units; o++)
            {
                scale[weights + (layer.Inputs * layer.Units) + o] = Math.Sqrt(gain / 2);
            }
        }

        return scale;
    }

    /// <summary>Kaiming's gain² for the activation that follows a layer.</summary>
    public static double Gain(Activation activation) => activation switch
    {
        Activation.Relu or Activation.LeakyRelu or Activation.Gelu or Activation.Silu or Activation.Softplus => 2.0,
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
            default:
                // −[t·log σ(y) + (1 − t)·log(1 − σ(y))], with log σ(y) = −softplus(−y).
                return outputs.Zip(targets, (y, t) => (t * Softplus(-y)) + ((1 - t) * Softplus(y))).Sum() / outputs.Length;
        }
    }

    private static double Softplus(double x) => Math.Max(x, 0) + ReferenceActivations.LogOnePlus(Math.Exp(-Math.Abs(x)));
}
