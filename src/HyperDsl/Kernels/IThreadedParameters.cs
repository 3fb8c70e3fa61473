namespace HyperDsl.Kernels;

/// <summary>
/// A model that splits θ between two threads in its training step: an optimizer created for it updates θ on the
/// same threads, split at the same point, so that each core keeps its part of θ in its cache.
/// </summary>
internal interface IThreadedParameters
{
    /// <summary>Threads the model's step uses, 1 or 2.</summary>
    int Threads { get; }

    /// <summary>The first element of θ the second thread updates.</summary>
    int ParameterSplit { get; }
}
