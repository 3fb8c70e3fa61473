using System;
using HyperDsl.Kernels;

namespace HyperDsl.Training;

/// <summary>
/// An optimizer's element-wise update, run on one thread or — for an optimizer created for a model whose
/// <see cref="IHyperModel.Threads"/> is 2 — on two, θ split where the model's step splits it. Each element's update is
/// independent of the others, so the result is the same on any number of threads.
/// </summary>
internal abstract unsafe class PartitionedUpdate : IPartitionedWork
{
    // Below this many parameters, handing half to the helper thread costs more than it saves.
    private const int MinimumForTwoThreads = 4096;

    private float* pendingParameters;
    private float* pendingGradients;
    private int pendingLength;
    private int pendingSplit;

    /// <param name="model">The model the optimizer was created for, whose Threads it follows; null for one thread.</param>
    protected PartitionedUpdate(IHyperModel? model) => Model = model;

    /// <summary>The model the optimizer was created for, or null.</summary>
    public IHyperModel? Model { get; }

    /// <summary>Updates every element, on the model's threads.</summary>
    protected void UpdateAll(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        if (Model is null || Model.Threads == 1 || parameters.Length < MinimumForTwoThreads)
        {
            Update(parameters, gradients, 0, parameters.Length);
            return;
        }

        fixed (float* p = parameters)
        fixed (float* g = gradients)
        {
            pendingParameters = p;
            pendingGradients = g;
            pendingLength = parameters.Length;
            pendingSplit = Model is IThreadedParameters threaded ? threaded.ParameterSplit : (parameters.Length / 2) & ~63;
            try
            {
                ParallelWorker.Shared.Run(this);
            }
            finally
            {
                pendingParameters = null;
                pendingGradients = null;
            }
        }
    }

    /// <summary>Updates the elements [start, end).</summary>
    protected abstract void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int start, int end);

    void IPartitionedWork.Run(int part)
    {
        int start = part == 0 ? 0 : pendingSplit;
        int end = part == 0 ? pendingSplit : pendingLength;
        Update(new Span<float>(pendingParameters, pendingLength), new ReadOnlySpan<float>(pendingGradients, pendingLength), start, end);
    }
}
