using System;
using System.Collections.Generic;
using System.Globalization;
using HyperDsl.Kernels;
using HyperDsl.Training;

namespace HyperDsl.Checkpoints;

/// <summary>
/// Saves and loads checkpoints in the safetensors format, with PyTorch's names and shapes: a dense layer is
/// <c>&lt;layer&gt;.weight</c> <c>[out, in]</c> and <c>&lt;layer&gt;.bias</c> <c>[out]</c> as in <c>torch.nn.Linear</c>,
/// the task-embedding table is <c>embedding.weight</c> <c>[tasks, dim]</c> as in <c>torch.nn.Embedding</c>.
/// </summary>
/// <remarks>
/// <para>
/// A hypernetwork's checkpoint holds θ (<c>embedding.weight</c>, each layer of the decoder g including <c>Head</c>,
/// <c>chunk_embedding.weight</c> <c>[chunks, dim]</c> when chunked, each shared target layer as
/// <c>shared.&lt;layer&gt;.weight</c> and <c>.bias</c> in PyTorch's shape), the fixed <c>output_scale</c> <c>[G]</c> of a
/// chunked head over the G generated parameters (G = output_scale ⊙ head output), and optionally the optimizer's state, one tensor per state buffer
/// and parameter tensor: <c>optimizer.&lt;tensor&gt;.exp_avg</c>, <c>.exp_avg_sq</c> (Adam, AdamW) or
/// <c>.momentum_buffer</c> (SGD), shaped as the parameter tensor. A target network's checkpoint holds W.
/// </para>
/// <para>
/// <c>__metadata__</c> records the format version, the kind of network, its architecture (each layer's name, shape and
/// activation), the training step and the optimizer's kind, settings and step count. Load checks the architecture when
/// the file has HyperDsl metadata, and otherwise (a file written by PyTorch's <c>safetensors.torch.save_file</c>, say)
/// only the tensors' names, dtypes and shapes.
/// </para>
/// <para>
/// Save writes a temporary file in the same folder and renames it over the target, so a crash never leaves a
/// half-written checkpoint. Load reads and checks the whole file before it changes anything: on any
/// <see cref="CheckpointException"/> the model and optimizer are as they were.
/// </para>
/// </remarks>
public static partial class Checkpoint
{
    /// <summary>The version of the metadata this library writes and reads.</summary>
    public const int FormatVersion = 1;

    private const string FormatName = "hyperdsl";
    private const string OptimizerPrefix = "optimizer.";

    // Metadata that must match for a checkpoint to load into a model.
    private static readonly string[] HyperArchitectureKeys = ["kind", "target", "decoder", "tasks", "embedding_size", "condition_size", "chunk_size", "chunk_embedding_size", "encoder", "generated_order"];

    // Metadata keys renamed since files were first written, new name -> old name: a file that has only the old key
    // is read through it, so that every checkpoint written before still loads.
    private static readonly Dictionary<string, string> FormerKeys = new(StringComparer.Ordinal) { ["decoder"] = "generator" };
    private static readonly string[] TargetArchitectureKeys = ["kind", "architecture"];

    /// <summary>Saves a hypernetwork's θ (and a chunked head's output scale), and optionally its optimizer's state and the training step.</summary>
    /// <param name="path">The file to write; replaced atomically if it exists.</param>
    /// <param name="model">A generated hypernetwork.</param>
    /// <param name="optimizer">The optimizer training it, whose state to save, or null.</param>
    /// <param name="step">The training step to record, at least 0.</param>
    /// <exception cref="ArgumentException">The model is not a generated hypernetwork, the optimizer is not one of the library's or is sized for another model, or the step is negative.</exception>
    public static void Save(string path, IHyperModel model, IOptimizer? optimizer = null, int step = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        IHyperCheckpoint hyper = Hyper(model);
        IOptimizerCheckpoint? state = Optimizer(optimizer, model.ParameterCount);
        ArgumentOutOfRangeException.ThrowIfNegative(step);

        HyperNetworkDescription description = hyper.Description;
        List<TensorBinding> parameters = HyperTensors(description, hyper.ParameterBuffer);
        List<TensorBinding> tensors = [.. parameters, .. ScaleTensor(hyper.OutputScale)];
        List<KeyValuePair<string, string>> metadata = HyperMetadata(description, step);
        if (state is not null)
        {
            tensors.AddRange(OptimizerTensors(parameters, state.CheckpointBuffers));
            metadata.Add(new("optimizer", state.CheckpointKind));
            metadata.Add(new("optimizer_settings", state.CheckpointSettings));
            metadata.Add(new("optimizer_step", Text(state.CheckpointStepCount)));
        }

        SafetensorsFile.Write(path, tensors, metadata);
    }

    /// <summary>
    /// Loads a checkpoint into a hypernetwork, and the optimizer state into <paramref name="optimizer"/> when one is
    /// given; optimizer state in the file is ignored when none is. Nothing changes unless the whole file loads.
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <param name="model">A generated hypernetwork of the architecture the file records.</param>
    /// <param name="optimizer">The optimizer to restore (of the kind that was saved), or null.</param>
    /// <returns>The step and metadata the file records.</returns>
    /// <exception cref="CheckpointException">The file is truncated, its header is bad, or a tensor, dtype, shape or the architecture does not match; <see cref="CheckpointException.Error"/> says which.</exception>
    /// <exception cref="ArgumentException">The model is not a generated hypernetwork, or the optimizer is not one of the library's or is sized for another model.</exception>
    public static CheckpointInfo Load(string path, IHyperModel model, IOptimizer? optimizer = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        IHyperCheckpoint hyper = Hyper(model);
        IOptimizerCheckpoint? state = Optimizer(optimizer, model.ParameterCount);
        HyperNetworkDescription description = hyper.Description;

        SafetensorsContent content = SafetensorsFile.Read(path);
        bool ours = CheckMetadata(content, "hypernetwork", HyperArchitectureKeys, HyperMetadata(description, step: 0));

        // Everything is loaded into copies first and committed only once every tensor has been checked and read.
        float[] parameters = new float[description.ParameterCount];
        float[]? scale = hyper.OutputScale is null ? null : new float[hyper.OutputScale.Length];
        List<TensorBinding> parameterTensors = HyperTensors(description, parameters);
        List<TensorBinding> expected = [.. parameterTensors, .. ScaleTensor(scale)];
        var optimizerBuffers = new List<KeyValuePair<string, float[]>>();
        if (state is not null)
        {
            CheckOptimizerKind(content, state);
            foreach (KeyValuePair<string, float[]> buffer in state.CheckpointBuffers)
            {
                optimizerBuffers.Add(new(buffer.Key, new float[buffer.Value.Length]));
            }

            expected.AddRange(OptimizerTensors(parameterTensors, optimizerBuffers));
        }

        ReadTensors(content, expected, ignorePrefix: state is null ? OptimizerPrefix : null);
        int step = ours ? Integer(content, "step") : 0;
        int optimizerStep = state is not null && ours ? Integer(content, "optimizer_step") : 0;

        parameters.CopyTo(hyper.ParameterBuffer, 0);
        scale?.CopyTo(hyper.OutputScale!, 0);
        if (state is not null)
        {
            for (int i = 0; i < optimizerBuffers.Count; i++)
            {
                optimizerBuffers[i].Value.CopyTo(state.CheckpointBuffers[i].Value, 0);
            }

            state.CheckpointStepCount = optimizerStep;
        }

        return Info(content, step);
    }

    /// <summary>Saves a target network's parameters W, e.g. the W a hypernetwork generated for one task.</summary>
    /// <typeparam name="TTarget">The target network.</typeparam>
    /// <param name="path">The file to write; replaced atomically if it exists.</param>
    /// <param name="parameters">W, exactly TTarget.ParameterCount floats.</param>
    /// <exception cref="ArgumentException"><paramref name="parameters"/> has the wrong length.</exception>
    public static void SaveTarget<TTarget>(string path, ReadOnlySpan<float> parameters)
        where TTarget : ITargetNetwork
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        CheckTargetLength<TTarget>(parameters.Length);
        List<TensorBinding> tensors = TargetTensors(TTarget.Layers, parameters.ToArray());
        SafetensorsFile.Write(path, tensors, TargetMetadata(TTarget.Layers));
    }

    /// <summary>Loads a target network's parameters W; nothing is written to <paramref name="parameters"/> unless the whole file loads.</summary>
    /// <typeparam name="TTarget">The target network.</typeparam>
    /// <param name="path">The file to read: written by <see cref="SaveTarget{TTarget}"/>, or a PyTorch state dict with the same layer names.</param>
    /// <param name="parameters">Receives W, exactly TTarget.ParameterCount floats.</param>
    /// <returns>The metadata the file records.</returns>
    /// <exception cref="CheckpointException">The file is truncated, its header is bad, or a tensor, dtype, shape or the architecture does not match.</exception>
    /// <exception cref="ArgumentException"><paramref name="parameters"/> has the wrong length.</exception>
    public static CheckpointInfo LoadTarget<TTarget>(string path, Span<float> parameters)
        where TTarget : ITargetNetwork
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        CheckTargetLength<TTarget>(parameters.Length);
        SafetensorsContent content = SafetensorsFile.Read(path);
        CheckMetadata(content, "target_network", TargetArchitectureKeys, TargetMetadata(TTarget.Layers));
        float[] staged = new float[parameters.Length];
        ReadTensors(content, TargetTensors(TTarget.Layers, staged), ignorePrefix: null);
        staged.CopyTo(parameters);
        return Info(content, step: 0);
    }

    /// <summary>
    /// Checks HyperDsl metadata against the model's: the format version, then each architecture key. Returns false for
    /// a file without HyperDsl metadata, whose tensors alone are then checked.
    /// </summary>
    private static bool CheckMetadata(SafetensorsContent content, string kind, string[] keys, List<KeyValuePair<string, string>> model)
    {
        if (content.Metadata is null || !content.Metadata.TryGetValue("format", out string? format) || format != FormatName)
        {
            return false;
        }

        string version = content.Metadata.GetValueOrDefault("format_version", "(none)");
        if (version != Text(FormatVersion))
        {
            throw new CheckpointException(CheckpointError.ArchitectureMismatch, content.Path, $"the file has format version {version}; this library reads version {FormatVersion}.");
        }

        string fileKind = content.Metadata.GetValueOrDefault("kind", "(none)");
        if (fileKind != kind)
        {
            throw new CheckpointException(CheckpointError.ArchitectureMismatch, content.Path, $"the file holds a {fileKind} checkpoint, not a {kind} one.");
        }

        var expected = new Dictionary<string, string>(model, StringComparer.Ordinal);
        foreach (string key in keys)
        {
            string recorded = content.Metadata.GetValueOrDefault(key)
                ?? (FormerKeys.TryGetValue(key, out string? former) ? content.Metadata.GetValueOrDefault(former) : null)
                ?? "(none)";
            // A key the model does not write (an encoder, when it has none) must be absent from the file too.
            string own = expected.GetValueOrDefault(key, "(none)");
            if (recorded != own)
            {
                throw new CheckpointException(CheckpointError.ArchitectureMismatch, content.Path, $"its {key} is '{recorded}', but the model's is '{own}'.");
            }
        }

        return true;
    }

    private static void CheckOptimizerKind(SafetensorsContent content, IOptimizerCheckpoint state)
    {
        string? saved = content.Metadata?.GetValueOrDefault("optimizer");
        bool hasState = false;
        foreach (string name in content.Entries.Keys)
        {
            hasState |= name.StartsWith(OptimizerPrefix, StringComparison.Ordinal);
        }

        if (saved is null && !hasState && state.CheckpointBuffers.Count > 0)
        {
            throw new CheckpointException(CheckpointError.OptimizerMismatch, content.Path, $"an {state.CheckpointKind} optimizer was given, but the file holds no optimizer state.");
        }

        if (saved is not null && saved != state.CheckpointKind)
        {
            throw new CheckpointException(CheckpointError.OptimizerMismatch, content.Path, $"the file holds {saved} state, but the optimizer given is {state.CheckpointKind}.");
        }
    }

    private static List<KeyValuePair<string, string>> HyperMetadata(HyperNetworkDescription description, int step) =>
    [
        new("format", FormatName),
        new("format_version", Text(FormatVersion)),
        new("kind", "hypernetwork"),
        new("network", description.Name),
        new("target", Architecture(description.TargetLayers)),
        new("decoder", Architecture([.. description.DecoderLayers, .. description.ChunkAttention])),
        new("tasks", Text(description.Tasks)),
        new("embedding_size", Text(description.EmbeddingSize)),
        new("condition_size", Text(description.ConditionSize)),
        new("chunk_size", Text(description.ChunkSize)),
        new("chunk_embedding_size", Text(description.ChunkEmbeddingSize)),
        .. description.HasEncoder ? [new KeyValuePair<string, string>("encoder", Architecture([.. description.EncoderLayers, .. description.SetAttention]))] : Array.Empty<KeyValuePair<string, string>>(),
        // Written only when not the native order, so that every earlier file still loads.
        .. description.GeneratedOrder == ParameterOrder.PyTorch ? [new KeyValuePair<string, string>("generated_order", "pytorch")] : Array.Empty<KeyValuePair<string, string>>(),
        new("parameters", Text(description.ParameterCount)),
        new("step", Text(step)),
    ];

    private static List<KeyValuePair<string, string>> TargetMetadata(IReadOnlyList<LayerDescription> layers) =>
    [
        new("format", FormatName),
        new("format_version", Text(FormatVersion)),
        new("kind", "target_network"),
        new("architecture", Architecture(layers)),
    ];

    /// <summary>Each layer's name, shape and activation: <c>Dense0: 1 -> 40, Relu; ...</c>.</summary>
    private static string Architecture(IReadOnlyList<LayerDescription> layers)
    {
        var parts = new string[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            LayerDescription layer = layers[i];
            parts[i] = layer.IsAttention
                ? string.Create(CultureInfo.InvariantCulture, $"{layer.Name}: {layer.Kind} {layer.Inputs}, {layer.Heads} heads, feed-forward {layer.FeedForward}")
                : layer.Kind == LayerKind.Dense && !layer.InputShape.IsImage && !layer.Residual && !layer.Shared
                ? string.Create(CultureInfo.InvariantCulture, $"{layer.Name}: {layer.Inputs} -> {layer.Units}, {layer.Activation}")
                : string.Create(CultureInfo.InvariantCulture, $"{layer.Name}: {layer.Kind}{(layer.Kernel > 0 ? $" {layer.Kernel}x{layer.Kernel}/{layer.Stride}+{layer.PadTop},{layer.PadLeft}" : string.Empty)}{(layer.Residual ? " residual" : string.Empty)}{(layer.Shared ? " shared" : string.Empty)} {layer.InputShape} -> {layer.OutputShape}, {layer.Activation}");
        }

        return string.Join("; ", parts);
    }

    private static int Integer(SafetensorsContent content, string key)
    {
        string? text = content.Metadata!.GetValueOrDefault(key);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            throw new CheckpointException(CheckpointError.BadHeader, content.Path, $"__metadata__.{key} is '{text ?? "(none)"}', not a non-negative integer.");
        }

        return value;
    }

    private static CheckpointInfo Info(SafetensorsContent content, int step)
        => new(step, content.Metadata?.GetValueOrDefault("optimizer"), content.Metadata is null ? new Dictionary<string, string>() : content.Metadata);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static IHyperCheckpoint Hyper(IHyperModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model as IHyperCheckpoint
            ?? throw new ArgumentException($"{model.GetType().Name} is not a generated hypernetwork; checkpoints hold generated [HyperNetwork] classes.", nameof(model));
    }

    private static IOptimizerCheckpoint? Optimizer(IOptimizer? optimizer, int parameterCount)
    {
        if (optimizer is null)
        {
            return null;
        }

        if (optimizer is not IOptimizerCheckpoint state)
        {
            throw new ArgumentException($"{optimizer.GetType().Name} cannot be saved in a checkpoint; Sgd, Adam and AdamW can.", nameof(optimizer));
        }

        foreach (KeyValuePair<string, float[]> buffer in state.CheckpointBuffers)
        {
            if (buffer.Value.Length != parameterCount)
            {
                throw new ArgumentException($"The optimizer updates {buffer.Value.Length} parameters, but the model has {parameterCount}.", nameof(optimizer));
            }
        }

        return state;
    }

    private static void CheckTargetLength<TTarget>(int length)
        where TTarget : ITargetNetwork
    {
        if (length != TTarget.ParameterCount)
        {
            throw new ArgumentException($"parameters must hold {typeof(TTarget).Name}.ParameterCount = {TTarget.ParameterCount} floats, but holds {length}.", "parameters");
        }
    }
}
