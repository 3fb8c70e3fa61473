using System.Collections.Generic;

namespace HyperDsl.Checkpoints;

/// <summary>An optimizer whose state a checkpoint can hold: buffers as long as the parameters, and a step count.</summary>
internal interface IOptimizerCheckpoint
{
    /// <summary>The optimizer's name in checkpoints (<c>Adam</c>, <c>AdamW</c>, <c>SGD</c>).</summary>
    string CheckpointKind { get; }

    /// <summary>Its settings, as <c>name=value</c> pairs, recorded for the reader's information.</summary>
    string CheckpointSettings { get; }

    /// <summary>The state buffers by their names in <c>torch.optim</c>'s per-parameter state (exp_avg, ...).</summary>
    IReadOnlyList<KeyValuePair<string, float[]>> CheckpointBuffers { get; }

    /// <summary>Steps taken; restored from a checkpoint together with the buffers.</summary>
    int CheckpointStepCount { get; set; }
}

/// <summary>A hypernetwork whose layout and fixed state a checkpoint can hold.</summary>
internal interface IHyperCheckpoint
{
    /// <summary>The generated layout.</summary>
    Kernels.HyperNetworkDescription Description { get; }

    /// <summary>θ, the array behind <see cref="IHyperModel.Parameters"/>.</summary>
    float[] ParameterBuffer { get; }

    /// <summary>
    /// The fixed factor on each generated parameter of a chunked head (null when not chunked): W = s ⊙ head output.
    /// </summary>
    float[]? OutputScale { get; }
}
