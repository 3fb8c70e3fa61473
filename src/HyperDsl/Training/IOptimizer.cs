using System;

namespace HyperDsl.Training;

/// <summary>An optimizer: updates parameters in place from their gradients, with state of its own, allocating nothing.</summary>
public interface IOptimizer
{
    /// <summary>The step size; a schedule may change it before each step.</summary>
    float LearningRate { get; set; }

    /// <summary>Steps taken since construction or <see cref="Reset"/>.</summary>
    int StepCount { get; }

    /// <summary>Applies one update.</summary>
    /// <param name="parameters">The parameters, updated in place.</param>
    /// <param name="gradients">∂L/∂parameters, the same length.</param>
    void Step(Span<float> parameters, ReadOnlySpan<float> gradients);

    /// <summary>Forgets the state (moments, step count), as a new optimizer would have it.</summary>
    void Reset();
}

/// <summary>An optimizer of the library's, created for a parameter count or for a model whose threads it follows.</summary>
internal interface IModelOptimizer
{
    /// <summary>The model the optimizer was created for, or null.</summary>
    IHyperModel? Model { get; }
}
