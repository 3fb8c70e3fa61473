using System;
using System.Collections.Generic;
using System.Diagnostics;
using HyperDsl;
using HyperDsl.Training;

namespace Sinusoid;

/// <summary>
/// One unseen task as evaluated: its curve, its support points, the embeddings fitted to 5 and 10 of them, and the
/// weights the encoder and the attention encoder made from the same 5 and 10 (null without them).
/// </summary>
public sealed record EvaluatedTask(SineTask Task, float[] SupportX, float[] SupportY, float[] Embedding5, float[] Embedding10, float[]? Encoded5, float[]? Encoded10, float[]? Attended5, float[]? Attended10);

/// <summary>
/// Mean query MSE over the unseen tasks for each method, and the mean time to adapt to one new task (prediction
/// excluded): fitting an embedding, or one pass through an encoder hypernetwork (NaN without one).
/// </summary>
public sealed record EvaluationResult(
    Estimate FewShot5,
    Estimate FewShot10,
    Estimate ZeroShot,
    Estimate Pooled,
    Estimate Encoder5,
    Estimate Encoder10,
    Estimate Attention5,
    Estimate Attention10,
    double AdaptMicrosecondsFit,
    double AdaptMicrosecondsEncoder,
    double AdaptMicrosecondsAttention,
    IReadOnlyList<EvaluatedTask> Examples);

/// <summary>
/// The few-shot benchmark: for each unseen task, K = 5 or 10 support points fit a fresh task embedding (θ frozen), and
/// the MSE is measured on 100 query points. The encoder hypernetwork, when given, makes the network from the same
/// support points in one pass. The zero-shot baseline predicts with the mean embedding; the pooled baseline is a
/// SineNet trained without task information.
/// </summary>
public static class FewShotEvaluation
{
    public const int QueryPoints = 100;

    public static EvaluationResult Run(SineHyper model, SineEncoderHyper? encoder, SineAttentionHyper? attention, float[] pooled, int tasks, int seed, FewShotOptions options, int examples = 4)
    {
        var random = new Random(seed);
        var fewShot5 = new List<double>(tasks);
        var fewShot10 = new List<double>(tasks);
        var zeroShot = new List<double>(tasks);
        var pooledErrors = new List<double>(tasks);
        var encoder5 = new List<double>(tasks);
        var encoder10 = new List<double>(tasks);
        var attention5 = new List<double>(tasks);
        var attention10 = new List<double>(tasks);
        long attentionTicks = 0;
        var evaluated = new List<EvaluatedTask>();
        long fitTicks = 0;
        long encoderTicks = 0;
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
            float[]? encoded5 = null, encoded10 = null, attended5 = null, attended10 = null;
            if (encoder is not null)
            {
                encoder5.Add(Encode(encoder, 5, ref encoderTicks));
                encoded5 = (float[])encoded.Clone();
                encoder10.Add(Encode(encoder, 10, ref encoderTicks));
                encoded10 = (float[])encoded.Clone();
            }

            if (attention is not null)
            {
                attention5.Add(Encode(attention, 5, ref attentionTicks));
                attended5 = (float[])encoded.Clone();
                attention10.Add(Encode(attention, 10, ref attentionTicks));
                attended10 = (float[])encoded.Clone();
            }

            if (t < examples)
            {
                evaluated.Add(new EvaluatedTask(task, (float[])supportX.Clone(), (float[])supportY.Clone(), embedding5, (float[])embedding.Clone(), encoded5, encoded10, attended5, attended10));
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
        return new EvaluationResult(
            Estimate.Of(fewShot5),
            Estimate.Of(fewShot10),
            Estimate.Of(zeroShot),
            Estimate.Of(pooledErrors),
            encoder is null ? new Estimate(double.NaN, double.NaN) : Estimate.Of(encoder5),
            encoder is null ? new Estimate(double.NaN, double.NaN) : Estimate.Of(encoder10),
            attention is null ? new Estimate(double.NaN, double.NaN) : Estimate.Of(attention5),
            attention is null ? new Estimate(double.NaN, double.NaN) : Estimate.Of(attention10),
            PerAdaptation(fitTicks),
            encoder is null ? double.NaN : PerAdaptation(encoderTicks),
            attention is null ? double.NaN : PerAdaptation(attentionTicks),
            evaluated);
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
