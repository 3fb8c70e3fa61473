using System;
using HyperDsl.Training;

namespace HyperDsl.Tests.Training;

/// <summary>A user-written optimizer that does nothing: what the library cannot checkpoint.</summary>
internal sealed class StatelessOptimizer : IOptimizer
{
    public float LearningRate { get; set; }

    public int StepCount => 0;

    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
    }

    public void Reset()
    {
    }
}
