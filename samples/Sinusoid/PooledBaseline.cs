using System;
using HyperDsl;
using HyperDsl.Training;

namespace Sinusoid;

/// <summary>
/// The baseline without task information: one SineNet trained on points of all training tasks pooled. It can only learn
/// the average curve, which is close to 0 — the error a model that ignores the support points makes.
/// </summary>
public static class PooledBaseline
{
    /// <summary>An all-zero SineNet (it predicts 0), for evaluations during training where the baseline is not needed.</summary>
    public static readonly float[] Untrained = new float[SineNet.ParameterCount];

    public static float[] Train(SinusoidFamily family, int steps, int seed)
    {
        const int Batch = 250;
        var random = new Random(seed);
        float[] parameters = new float[SineNet.ParameterCount];
        InitializeLayer(parameters.AsSpan(SineNet.Layout.Dense0Weights, SineNet.Layout.Dense0WeightsLength), 1, random);
        InitializeLayer(parameters.AsSpan(SineNet.Layout.Dense1Weights, SineNet.Layout.Dense1WeightsLength), 40, random);
        InitializeLayer(parameters.AsSpan(SineNet.Layout.Dense2Weights, SineNet.Layout.Dense2WeightsLength), 40, random);

        float[] inputs = new float[Batch];
        float[] targets = new float[Batch];
        float[] outputs = new float[Batch];
        float[] outputGradients = new float[Batch];
        float[] workspace = new float[SineNet.WorkspaceSize(Batch)];
        float[] gradients = new float[SineNet.ParameterCount];
        var adam = new Adam(SineNet.ParameterCount, learningRate: 1e-3f);
        ReadOnlySpan<SineTask> tasks = family.TrainingTasks;
        for (int step = 0; step < steps; step++)
        {
            for (int n = 0; n < Batch; n++)
            {
                SineTask task = tasks[random.Next(tasks.Length)];
                inputs[n] = SinusoidFamily.DrawX(random);
                targets[n] = task.Evaluate(inputs[n]);
            }

            SineNet.Forward(parameters, inputs, outputs, Batch, workspace);
            Losses.Evaluate(Loss.MeanSquaredError, outputs, targets, Batch, 1, outputGradients);
            Array.Clear(gradients);
            SineNet.Backward(parameters, inputs, outputGradients, Batch, workspace, gradients, default);
            adam.Step(parameters, gradients);
        }

        return parameters;
    }

    private static void InitializeLayer(Span<float> weights, int fanIn, Random random)
    {
        float bound = MathF.Sqrt(6f / fanIn);
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = ((random.NextSingle() * 2f) - 1f) * bound;
        }
    }
}
