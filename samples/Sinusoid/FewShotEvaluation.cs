using System;
using System.Collections.Generic;
using System.Diagnostics;
using HyperDsl;
using HyperDsl.Training;

namespace Sinusoid;

/// <summary>An encoder hypernetwork under evaluation: its key in the JSON figures, its label, and the model.</summary>
public sealed record EncoderMethod(string Key, string Label, HyperNetworkModel<SineNet> Model);

/// <summary>One encoder hypernetwork's figures: query MSE at K = 5 and K = 10, and the mean time to adapt to a new task.</summary>
public sealed record EncoderResult(EncoderMethod Method, Estimate K5, Estimate K10, double AdaptMicroseconds);

/// <summary>
/// One unseen task as evaluated: its curve, its support points, the embeddings fitted to 5 and 10 of them, and the
/// weights each encoder hypernetwork made from the same 5 and 10 points, in the order of the methods.
/// </summary>
public sealed record EvaluatedTask(SineTask Task, float[] SupportX, float[] SupportY, float[] Embedding5, float[] Embedding10, IReadOnlyList<(float[] K5, float[] K10)> Encoded);

/// <summary>
/// Mean query MSE over the unseen tasks for each method, and the mean time to adapt to one new task (prediction
/// excluded): fitting an embedding, or one pass through each encoder hypernetwork.
/// </summary>
public sealed record EvaluationResult(
    Estimate FewShot5,
    Estimate FewShot10,
    Estimate ZeroShot,
    Estimate Pooled,
    double AdaptMicrosecondsFit,
    IReadOnlyList<EncoderResult> Encoders,
    IReadOnlyList<EvaluatedTask> Examples);

/// <summary>
/// The few-shot benchmark: for each unseen task, K = 5 or 10 support points fit a fresh task embedding (θ frozen), and
/// the MSE is measured on 100 query points. Each encoder hypernetwork makes the network from the same support points in
/// one pass. The zero-shot baseline predicts with the mean embedding; the pooled baseline is a SineNet trained without
/// task information.
/// </summary>
public static class FewShotEvaluation
{
    public const int QueryPoints = 100;

    public static EvaluationResult Run(SineHyper model, IReadOnlyList<EncoderMethod> encoders, float[] pooled, int tasks, int seed, FewShotOptions options, int examples = 4)
    {
        var random = new Random(seed);
        var fewShot5 = new List<double>(tasks);
        var fewShot10 = new List<double>(tasks);
        var zeroShot = new List<double>(tasks);
        var pooledErrors = new List<double>(tasks);
        var encoded5 = new List<double>[encoders.Count];
        var encoded10 = new List<double>[encoders.Count];
        long[] encoderTicks = new long[encoders.Count];
        for (int m = 0; m < encoders.Count; m++)
        {
            encoded5[m] = new List<double>(tasks);
            encoded10[m] = new List<double>(tasks);
        }

        var evaluated = new List<EvaluatedTask>();
        long fitTicks = 0;
        float[] encoded = new float[SineNet.ParameterCount];

        float[] mean = new float[SineHyper.EmbeddingSize];
        FewShot.MeanEmbedding(model, mean);
        float[] embedding = new float[SineHyper.EmbeddingSize];
        float[] supportX = new float[10];
        float[] supportY = new float[10];
        float[] queryX = new float[QueryPoints];
        float[] queryY = new float[QueryPoints];
        float[] predicted = new float[QueryPoints];
        float[] workspace = new float[SineNet.WorkspaceSize(QueryPoints)];
        // Warm-up on curves of their own, so that the timed adaptations below do not include compiling the code they run.
        var warmUp = new Random(seed - 1);
        for (int w = 0; w < 40; w++)
        {
            SineTask task = SinusoidFamily.Draw(warmUp);
            SinusoidFamily.Points(task, warmUp, supportX, supportY);
            SinusoidFamily.Points(task, warmUp, queryX, queryY);
            long discarded = 0;
            if (w < 3)
            {
                Adapt(5);
            }

            foreach (EncoderMethod method in encoders)
            {
                Encode(method.Model, 5, ref discarded);
                Encode(method.Model, 10, ref discarded);
            }
        }

        fitTicks = 0;
        for (int t = 0; t < tasks; t++)
        {
            SineTask task = SinusoidFamily.Draw(random);
            SinusoidFamily.Points(task, random, supportX, supportY);
            SinusoidFamily.Points(task, random, queryX, queryY);

            model.Predict(mean, default, queryX, QueryPoints, predicted);
            zeroShot.Add(Mse(predicted, queryY));
            SineNet.Forward(pooled, queryX, predicted, QueryPoints, workspace);
            pooledErrors.Add(Mse(predicted, queryY));

            fewShot5.Add(Adapt(5));
            float[] embedding5 = (float[])embedding.Clone();
            fewShot10.Add(Adapt(10));
            var weights = new List<(float[], float[])>();
            for (int m = 0; m < encoders.Count; m++)
            {
                encoded5[m].Add(Encode(encoders[m].Model, 5, ref encoderTicks[m]));
                float[] five = (float[])encoded.Clone();
                encoded10[m].Add(Encode(encoders[m].Model, 10, ref encoderTicks[m]));
                weights.Add((five, (float[])encoded.Clone()));
            }

            if (t < examples)
            {
                evaluated.Add(new EvaluatedTask(task, (float[])supportX.Clone(), (float[])supportY.Clone(), embedding5, (float[])embedding.Clone(), weights));
            }
        }

        // Fits a fresh embedding to the first k support points, from the mean embedding, and returns the query MSE.
        double Adapt(int k)
        {
            long start = Stopwatch.GetTimestamp();
            mean.CopyTo(embedding, 0);
            FewShot.Adapt(model, supportX.AsSpan(0, k), supportY.AsSpan(0, k), k, Loss.MeanSquaredError, embedding, default, options);
            fitTicks += Stopwatch.GetTimestamp() - start;
            model.Predict(embedding, default, queryX, QueryPoints, predicted);
            return Mse(predicted, queryY);
        }

        // Makes the network from the first k support points in one pass of an encoder hypernetwork, and returns the query MSE.
        double Encode(HyperNetworkModel<SineNet> hyper, int k, ref long ticks)
        {
            long start = Stopwatch.GetTimestamp();
            hyper.GenerateFromSupport(default, default, supportX.AsSpan(0, k), supportY.AsSpan(0, k), k, encoded);
            ticks += Stopwatch.GetTimestamp() - start;
            SineNet.Forward(encoded, queryX, predicted, QueryPoints, workspace);
            return Mse(predicted, queryY);
        }

        // Per adaptation: each task is adapted twice, at K = 5 and K = 10.
        double PerAdaptation(long ticks) => ticks * 1e6 / Stopwatch.Frequency / (2.0 * tasks);
        var results = new List<EncoderResult>();
        for (int m = 0; m < encoders.Count; m++)
        {
            results.Add(new EncoderResult(encoders[m], Estimate.Of(encoded5[m]), Estimate.Of(encoded10[m]), PerAdaptation(encoderTicks[m])));
        }

        return new EvaluationResult(Estimate.Of(fewShot5), Estimate.Of(fewShot10), Estimate.Of(zeroShot), Estimate.Of(pooledErrors), PerAdaptation(fitTicks), results, evaluated);
    }

    private static double Mse(ReadOnlySpan<float> predicted, ReadOnlySpan<float> truth)
    {
        double sum = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            double error = predicted[i] - truth[i];
            sum += error * error;
        }

        return sum / predicted.Length;
    }
}
