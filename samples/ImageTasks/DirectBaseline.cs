using System;
using HyperDsl;
using HyperDsl.Training;

namespace ImageTasks;

/// <summary>
/// The reference point: LeNet trained directly on one task, its weights W learned by Adam with the same mini-batches,
/// schedule and steps as the hypernetworks get — what such a network reaches without a hypernetwork. It uses the
/// generated network's Forward and Backward and the library's loss and optimizer, as any user's training loop would.
/// </summary>
public static class DirectBaseline
{
    /// <summary>Trains W on <paramref name="train"/> and returns it.</summary>
    public static float[] Train(ImageSet train, int steps, int samples, float peakLearningRate, int seed)
    {
        var random = new Random(seed);
        float[] weights = new float[LeNet.ParameterCount];
        PyTorchInitialization.Apply<LeNet>(weights, random);
        float[] gradients = new float[LeNet.ParameterCount];
        float[] inputs = new float[samples * ImageSet.Pixels];
        float[] targets = new float[samples * ImageSet.Classes];
        float[] outputs = new float[samples * ImageSet.Classes];
        float[] outputGradients = new float[outputs.Length];
        float[] workspace = new float[LeNet.WorkspaceSize(samples)];
        var adam = new Adam(LeNet.ParameterCount);
        var schedule = new CosineSchedule(peakLearningRate, steps, warmupSteps: Math.Min(500, steps / 10), minimum: 1e-5f);
        for (int step = 1; step <= steps; step++)
        {
            for (int s = 0; s < samples; s++)
            {
                train.Copy(random.Next(train.Count), inputs.AsSpan(s * ImageSet.Pixels, ImageSet.Pixels), targets.AsSpan(s * ImageSet.Classes, ImageSet.Classes));
            }

            LeNet.Forward(weights, inputs, outputs, samples, workspace);
            Losses.Evaluate(Loss.SoftmaxCrossEntropy, outputs, targets, samples, ImageSet.Classes, outputGradients, 1f);
            Array.Clear(gradients);
            LeNet.Backward(weights, inputs, outputGradients, samples, workspace, gradients, Span<float>.Empty);
            adam.LearningRate = schedule.LearningRate(step);
            adam.Step(weights, gradients);
        }

        return weights;
    }

    /// <summary>The share of <paramref name="test"/>'s images whose largest output under <paramref name="weights"/> is their label.</summary>
    public static double Accuracy(float[] weights, ImageSet test)
    {
        const int Block = 500;
        float[] outputs = new float[Block * ImageSet.Classes];
        float[] workspace = new float[LeNet.WorkspaceSize(Block)];
        int correct = 0;
        for (int start = 0; start < test.Count; start += Block)
        {
            int count = Math.Min(Block, test.Count - start);
            LeNet.Forward(weights, test.Images.AsSpan(start * ImageSet.Pixels, count * ImageSet.Pixels), outputs.AsSpan(0, count * ImageSet.Classes), count, workspace.AsSpan(0, LeNet.WorkspaceSize(count)));
            correct += Evaluation.Correct(outputs.AsSpan(0, count * ImageSet.Classes), test.Labels.AsSpan(start, count));
        }

        return (double)correct / test.Count;
    }
}
