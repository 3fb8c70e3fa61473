using System;
using System.IO;

namespace HyperDsl.Checkpoints;

/// <summary>What is wrong with a checkpoint file that could not be loaded.</summary>
public enum CheckpointError
{
    /// <summary>The file ends before its header or one of its tensors does.</summary>
    Truncated,

    /// <summary>The header is not a safetensors header: a bad length, not UTF-8 JSON, a malformed entry, overlapping or gapped data.</summary>
    BadHeader,

    /// <summary>A tensor is stored in a type other than F32.</summary>
    WrongDtype,

    /// <summary>A tensor the model needs is not in the file.</summary>
    MissingTensor,

    /// <summary>The file holds a tensor the model does not have.</summary>
    UnexpectedTensor,

    /// <summary>A tensor's shape differs from the model's.</summary>
    ShapeMismatch,

    /// <summary>The metadata records a different architecture, kind of network or format version.</summary>
    ArchitectureMismatch,

    /// <summary>An optimizer was given, but the file holds no state for it, or state of another optimizer.</summary>
    OptimizerMismatch,
}

/// <summary>
/// A checkpoint file could not be loaded; <see cref="Error"/> says why and the message names the tensor or field at
/// fault. The model and optimizer it was loaded into are unchanged.
/// </summary>
public sealed class CheckpointException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="error">What is wrong.</param>
    /// <param name="path">The file.</param>
    /// <param name="message">What is wrong, in words.</param>
    /// <param name="inner">The exception that revealed it, if any.</param>
    public CheckpointException(CheckpointError error, string path, string message, Exception? inner = null)
        : base($"Cannot load the checkpoint '{path}': {message}", inner)
    {
        Error = error;
        Path = path;
    }

    /// <summary>What is wrong.</summary>
    public CheckpointError Error { get; }

    /// <summary>The file.</summary>
    public string Path { get; }
}
