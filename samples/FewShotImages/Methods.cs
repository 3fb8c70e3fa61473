using System;
using System.Collections.Generic;
using System.IO;
using HyperDsl;
using HyperDsl.Training;
using ImageTasks;

namespace FewShotImages;

/// <summary>A few-shot learner: given an episode's support set, scores its queries (<c>[queries × way]</c>, higher is likelier).</summary>
public interface IEpisodeLearner
{
    void Score(Episode episode, Span<float> scores);
}

/// <summary>The hypernetwork: an embedding fitted to the support images (θ frozen) generates the head; the queries go through EpisodeNet.</summary>
public sealed class HypernetworkLearner(EpisodeHyper model, FewShotOptions adaptation) : IEpisodeLearner
{
    private readonly float[] mean = Mean(model);
    private readonly float[] embedding = new float[EpisodeHyper.EmbeddingSize];

    public void Score(Episode episode, Span<float> scores)
    {
        mean.CopyTo(embedding, 0);
        FewShot.Adapt(model, episode.Support, episode.Targets, episode.SupportCount, Loss.SoftmaxCrossEntropy, embedding, default, adaptation);
        model.Predict(embedding, default, episode.QueryImages, episode.QueryCount, scores[..(episode.QueryCount * episode.Way)]);
    }

    private static float[] Mean(EpisodeHyper model)
    {
        float[] mean = new float[EpisodeHyper.EmbeddingSize];
        FewShot.MeanEmbedding(model, mean);
        return mean;
    }
}

/// <summary>Nearest class mean on pixels: each query goes to the label whose support images' mean is closest.</summary>
public sealed class NearestMeanLearner : IEpisodeLearner
{
    private readonly float[] means = new float[EpisodeHyper.Way * ImageSet.Pixels];

    public void Score(Episode episode, Span<float> scores)
    {
        Array.Clear(means);
        for (int row = 0; row < episode.SupportCount; row++)
        {
            Span<float> mean = means.AsSpan(episode.SupportLabels[row] * ImageSet.Pixels, ImageSet.Pixels);
            ReadOnlySpan<float> image = episode.SupportImages.AsSpan(row * ImageSet.Pixels, ImageSet.Pixels);
            for (int i = 0; i < ImageSet.Pixels; i++)
            {
                mean[i] += image[i] / episode.Shots;
            }
        }

        for (int q = 0; q < episode.QueryCount; q++)
        {
            ReadOnlySpan<float> image = episode.QueryImages.AsSpan(q * ImageSet.Pixels, ImageSet.Pixels);
            for (int label = 0; label < episode.Way; label++)
            {
                ReadOnlySpan<float> mean = means.AsSpan(label * ImageSet.Pixels, ImageSet.Pixels);
                float distance = 0f;
                for (int i = 0; i < ImageSet.Pixels; i++)
                {
                    float difference = image[i] - mean[i];
                    distance += difference * difference;
                }

                scores[(q * episode.Way) + label] = -distance;
            }
        }
    }
}

/// <summary>Full-batch Adam from a fixed number of steps and rate, as the baselines train on a support set.</summary>
public readonly record struct TrainingSetting(float LearningRate, int Steps)
{
    public override string ToString() => $"Adam {LearningRate:G3} × {Steps} steps";
}

/// <summary>The hypernetwork's adaptation to an episode: Adam on the embedding at a rate for a number of steps.</summary>
public readonly record struct AdaptationSetting(float LearningRate, int Steps)
{
    public FewShotOptions Options => new() { LearningRate = LearningRate, Steps = Steps };

    public override string ToString() => $"embedding fitted by Adam {LearningRate:G3} × {Steps} steps";
}

/// <summary>
/// A network of type <typeparamref name="TNetwork"/> trained on one support set: PyTorch's initialisation, then
/// full-batch Adam with softmax cross-entropy; the buffers hold up to a whole episode's queries.
/// </summary>
public sealed class SupportSetTraining<TNetwork>(int seed)
    where TNetwork : ITargetNetwork
{
    private const int MaxSamples = EpisodeHyper.Way * Episode.QueriesPerClass;
    private readonly float[] weights = new float[TNetwork.ParameterCount];
    private readonly float[] gradients = new float[TNetwork.ParameterCount];
    private readonly float[] outputs = new float[MaxSamples * TNetwork.OutputSize];
    private readonly float[] outputGradients = new float[MaxSamples * TNetwork.OutputSize];
    private readonly float[] workspace = new float[TNetwork.WorkspaceSize(MaxSamples)];
    private readonly Random random = new(seed);

    /// <summary>Trains fresh weights on <paramref name="samples"/> inputs and their one-hot targets.</summary>
    public void Train(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int samples, TrainingSetting setting)
    {
        PyTorchInitialization.Apply<TNetwork>(weights, random);
        var adam = new Adam(TNetwork.ParameterCount, setting.LearningRate);
        Span<float> scores = outputs.AsSpan(0, samples * TNetwork.OutputSize);
        Span<float> scoreGradients = outputGradients.AsSpan(0, samples * TNetwork.OutputSize);
        Span<float> scratch = workspace.AsSpan(0, TNetwork.WorkspaceSize(samples));
        for (int step = 0; step < setting.Steps; step++)
        {
            TNetwork.Forward(weights, inputs, scores, samples, scratch);
            Losses.Evaluate(Loss.SoftmaxCrossEntropy, scores, targets, samples, TNetwork.OutputSize, scoreGradients, 1f);
            Array.Clear(gradients);
            TNetwork.Backward(weights, inputs, scoreGradients, samples, scratch, gradients, Span<float>.Empty);
            adam.Step(weights, gradients);
        }
    }

    /// <summary>The trained network's outputs for <paramref name="samples"/> inputs.</summary>
    public void Predict(ReadOnlySpan<float> inputs, int samples, Span<float> scores)
        => TNetwork.Forward(weights, inputs, scores[..(samples * TNetwork.OutputSize)], samples, workspace.AsSpan(0, TNetwork.WorkspaceSize(samples)));
}

/// <summary>EpisodeNet (convolutions and head) trained from PyTorch's initialisation on the support images alone.</summary>
public sealed class ScratchLearner(TrainingSetting setting, int seed) : IEpisodeLearner
{
    private readonly SupportSetTraining<EpisodeNet> network = new(seed);

    public void Score(Episode episode, Span<float> scores)
    {
        network.Train(episode.Support, episode.Targets, episode.SupportCount, setting);
        network.Predict(episode.QueryImages, episode.QueryCount, scores);
    }
}

/// <summary>
/// The pooled network fine-tuned: PooledNet trained on all 56 meta-training classes at once; for an episode its
/// convolutions are kept and a new 5-way head is trained on the support images' features.
/// </summary>
/// <param name="features">FeatureNet's parameters: PooledNet's convolutions.</param>
public sealed class FinetuneLearner(float[] features, TrainingSetting setting, int seed) : IEpisodeLearner
{
    private const int Features = FeatureNet.OutputSize;
    private const int MaxSamples = EpisodeHyper.Way * Episode.QueriesPerClass;
    private readonly float[] supportFeatures = new float[MaxSamples * Features];
    private readonly float[] queryFeatures = new float[MaxSamples * Features];
    private readonly float[] featureWorkspace = new float[FeatureNet.WorkspaceSize(MaxSamples)];
    private readonly SupportSetTraining<HeadNet> head = new(seed);

    public void Score(Episode episode, Span<float> scores)
    {
        int n = episode.SupportCount;
        FeatureNet.Forward(features, episode.Support, supportFeatures.AsSpan(0, n * Features), n, featureWorkspace.AsSpan(0, FeatureNet.WorkspaceSize(n)));
        FeatureNet.Forward(features, episode.QueryImages, queryFeatures.AsSpan(0, episode.QueryCount * Features), episode.QueryCount, featureWorkspace);
        head.Train(supportFeatures.AsSpan(0, n * Features), episode.Targets, n, setting);
        head.Predict(queryFeatures.AsSpan(0, episode.QueryCount * Features), episode.QueryCount, scores);
    }

    /// <summary>Trains PooledNet on the meta-training classes (label = the class's index in the bank) and returns its convolutions as FeatureNet's parameters.</summary>
    public static float[] TrainPooled(ClassBank bank, int steps, int seed, TextWriter? progress)
    {
        const int Batch = 128;
        var random = new Random(seed);
        float[] weights = new float[PooledNet.ParameterCount];
        PyTorchInitialization.Apply<PooledNet>(weights, random);
        float[] gradients = new float[PooledNet.ParameterCount];
        float[] inputs = new float[Batch * ImageSet.Pixels];
        float[] targets = new float[Batch * PooledNet.OutputSize];
        float[] outputs = new float[Batch * PooledNet.OutputSize];
        float[] outputGradients = new float[outputs.Length];
        float[] workspace = new float[PooledNet.WorkspaceSize(Batch)];
        var adam = new Adam(PooledNet.ParameterCount);
        var schedule = new CosineSchedule(1e-3f, steps, warmupSteps: Math.Min(200, steps / 10), minimum: 1e-5f);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        double recent = double.NaN;
        for (int step = 1; step <= steps; step++)
        {
            Array.Clear(targets);
            for (int s = 0; s < Batch; s++)
            {
                int c = random.Next(bank.Classes.Count);
                bank.Copy(c, random.Next(bank.Count(c)), inputs.AsSpan(s * ImageSet.Pixels, ImageSet.Pixels));
                targets[(s * PooledNet.OutputSize) + c] = 1f;
            }

            PooledNet.Forward(weights, inputs, outputs, Batch, workspace);
            float loss = Losses.Evaluate(Loss.SoftmaxCrossEntropy, outputs, targets, Batch, PooledNet.OutputSize, outputGradients, 1f);
            recent = double.IsNaN(recent) ? loss : (0.98 * recent) + (0.02 * loss);
            Array.Clear(gradients);
            PooledNet.Backward(weights, inputs, outputGradients, Batch, workspace, gradients, Span<float>.Empty);
            adam.LearningRate = schedule.LearningRate(step);
            adam.Step(weights, gradients);
            if (progress is not null && (step % 500 == 0 || step == steps))
            {
                double eta = clock.Elapsed.TotalSeconds / step * (steps - step);
                progress.WriteLine($"  pooled network: step {step}/{steps}, loss {recent:F3}, ETA {eta:F0} s");
            }
        }

        // FeatureNet's layers are PooledNet's first layers, in the same order and shapes.
        float[] features = new float[FeatureNet.ParameterCount];
        for (int i = 0; i < FeatureNet.Layers.Count; i++)
        {
            LayerDescription from = PooledNet.Layers[i];
            LayerDescription to = FeatureNet.Layers[i];
            weights.AsSpan(from.WeightsOffset, from.WeightsLength + from.BiasLength).CopyTo(features.AsSpan(to.WeightsOffset, to.WeightsLength + to.BiasLength));
        }

        return features;
    }
}
