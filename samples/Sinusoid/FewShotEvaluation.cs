using System;
using System.Collections.Generic;
using HyperDsl;
using HyperDsl.Training;

namespace Sinusoid;

/// <summary>One unseen task as evaluated: its curve, its support points, and the embeddings fitted to 5 and 10 of them.</summary>
public sealed record EvaluatedTask(SineTask Task, float[] SupportX, float[] SupportY, float[] Embedding5, float[] Embedding10);

/// <summary>Mean query MSE over the unseen tasks for each method.</summary>
public sealed record EvaluationResult(Estimate FewShot5, Estimate FewShot10, Estimate ZeroShot, Estimate Pooled, IReadOnlyList<EvaluatedTask> Examples);

/// <summary>
/// The few-shot benchmark: for each unseen task, K = 5 or 10 support points fit a fresh task embedding (θ frozen), and
/// the MSE is measured on 100 query points. The zero-shot baseline predicts with the mean embedding; the pooled
/// baseline is a SineNet trained without task information.
/// </summary>
public static class FewShotEvaluation
{
    public const int QueryPoints = 100;

    public static EvaluationResult Run(SineHyper model, float[] pooled, int tasks, int seed, FewShotOptions options, int examples = 4)
    {
        var random = new Random(seed);
        var fewShot5 = new List<double>(tasks);
        var fewShot10 = new List<double>(tasks);
        var zeroShot = new List<double>(tasks);
        var pooledErrors = new List<double>(tasks);
        var evaluated = new List<EvaluatedTask>();

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
            if (t < examples)
            {
                evaluated.Add(new EvaluatedTask(task, (float[])supportX.Clone(), (float[])supportY.Clone(), embedding5, (float[])embedding.Clone()));
            }
        }

        // Fits a fresh embedding to the first k support points, from the mean embedding, and returns the query MSE.
        double Adapt(int k)
        {
            mean.CopyTo(embedding, 0);
            FewShot.Adapt(model, supportX.AsSpan(0, k), supportY.AsSpan(0, k), k, Loss.MeanSquaredError, embedding, default, options);
            model.Predict(embedding, default, queryX, QueryPoints, predicted);
            return Mse(predicted, queryY);
        }

        return new EvaluationResult(Estimate.Of(fewShot5), Estimate.Of(fewShot10), Estimate.Of(zeroShot), Estimate.Of(pooledErrors), evaluated);
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
