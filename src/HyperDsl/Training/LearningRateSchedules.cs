using System;

namespace HyperDsl.Training;

/// <summary>The learning rate at each step of training.</summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate for step <paramref name="step"/>, counted from 1.</summary>
    /// <param name="step">The step, from 1.</param>
    /// <returns>The learning rate.</returns>
    float LearningRate(int step);
}

/// <summary>The same learning rate at every step.</summary>
/// <param name="learningRate">The learning rate.</param>
public sealed class ConstantSchedule(float learningRate) : ILearningRateSchedule
{
    /// <inheritdoc/>
    public float LearningRate(int step) => learningRate;
}

/// <summary>
/// The learning rate multiplied by <paramref name="gamma"/> every <paramref name="stepSize"/> steps, as
/// <c>torch.optim.lr_scheduler.StepLR</c> does.
/// </summary>
/// <param name="learningRate">The initial learning rate.</param>
/// <param name="stepSize">Steps between decays, at least 1.</param>
/// <param name="gamma">The factor of each decay.</param>
public sealed class StepSchedule(float learningRate, int stepSize, float gamma) : ILearningRateSchedule
{
    private readonly int stepSize = stepSize >= 1 ? stepSize : throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "stepSize must be at least 1.");

    /// <inheritdoc/>
    public float LearningRate(int step) => learningRate * MathF.Pow(gamma, (Math.Max(step, 1) - 1) / stepSize);
}

/// <summary>
/// A linear warm-up from 0 to the peak over <paramref name="warmupSteps"/> steps, then a cosine decay to
/// <paramref name="minimum"/> at <paramref name="totalSteps"/>, where it stays.
/// </summary>
/// <param name="peak">The learning rate at the end of the warm-up.</param>
/// <param name="totalSteps">The step at which the decay reaches the minimum, at least 1.</param>
/// <param name="warmupSteps">Steps of linear warm-up, from 0 to totalSteps.</param>
/// <param name="minimum">The final learning rate.</param>
public sealed class CosineSchedule(float peak, int totalSteps, int warmupSteps = 0, float minimum = 0f) : ILearningRateSchedule
{
    private readonly int totalSteps = totalSteps >= 1 ? totalSteps : throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "totalSteps must be at least 1.");
    private readonly int warmupSteps = warmupSteps >= 0 && warmupSteps <= totalSteps ? warmupSteps : throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, "warmupSteps must be from 0 to totalSteps.");

    /// <inheritdoc/>
    public float LearningRate(int step)
    {
        if (step <= warmupSteps)
        {
            return peak * Math.Max(step, 0) / warmupSteps;
        }

        double progress = Math.Min(1.0, (double)(step - warmupSteps) / Math.Max(1, totalSteps - warmupSteps));
        return (float)(minimum + ((peak - minimum) * 0.5 * (1.0 + Math.Cos(Math.PI * progress))));
    }
}
