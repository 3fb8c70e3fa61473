using System;
using HyperDsl;

namespace Sinusoid;

/// <summary>One sine curve of the family: y = A·sin(x − φ).</summary>
/// <param name="Amplitude">A, in [0.1, 5].</param>
/// <param name="Phase">φ, in [0, π].</param>
public readonly record struct SineTask(float Amplitude, float Phase)
{
    public float Evaluate(float x) => Amplitude * MathF.Sin(x - Phase);
}

/// <summary>
/// The sinusoid family of Finn et al. (2017): A ∈ [0.1, 5], φ ∈ [0, π], x ∈ [−5, 5], all uniform. A fixed set of
/// training tasks (the hypernetwork's embedding table has a row for each), and fresh tasks for evaluation.
/// </summary>
public sealed class SinusoidFamily : ITaskSampler
{
    public const float MinX = -5f;
    public const float MaxX = 5f;

    private readonly SineTask[] training;

    public SinusoidFamily(int trainingTasks, int seed)
    {
        var random = new Random(seed);
        training = new SineTask[trainingTasks];
        for (int t = 0; t < trainingTasks; t++)
        {
            training[t] = Draw(random);
        }
    }

    public ReadOnlySpan<SineTask> TrainingTasks => training;

    public static SineTask Draw(Random random)
        => new(0.1f + (4.9f * random.NextSingle()), MathF.PI * random.NextSingle());

    public static float DrawX(Random random) => MinX + ((MaxX - MinX) * random.NextSingle());

    /// <summary>Points of <paramref name="task"/> at random x.</summary>
    public static void Points(SineTask task, Random random, Span<float> xs, Span<float> ys)
    {
        for (int i = 0; i < xs.Length; i++)
        {
            xs[i] = DrawX(random);
            ys[i] = task.Evaluate(xs[i]);
        }
    }

    /// <inheritdoc/>
    public void Sample(Random random, Span<int> taskIds, Span<float> inputs, Span<float> targets, Span<float> conditions, int samplesPerTask)
    {
        for (int t = 0; t < taskIds.Length; t++)
        {
            taskIds[t] = random.Next(training.Length);
            Points(training[taskIds[t]], random, inputs.Slice(t * samplesPerTask, samplesPerTask), targets.Slice(t * samplesPerTask, samplesPerTask));
        }
    }
}
