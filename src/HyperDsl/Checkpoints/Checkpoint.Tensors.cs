using System;
using System.Collections.Generic;
using System.Globalization;
using HyperDsl.Kernels;
using HyperDsl.Training;

namespace HyperDsl.Checkpoints;

/// <summary>The tensors of a checkpoint: bound to the model's arrays by name and shape, written and read.</summary>
public static partial class Checkpoint
{
    /// <summary>The tensors of θ in file order, bound to <paramref name="parameters"/>.</summary>
    private static List<TensorBinding> HyperTensors(HyperNetworkDescription description, float[] parameters)
    {
        var tensors = new List<TensorBinding>();
        if (description.Tasks > 0)
        {
            tensors.Add(TensorBinding.Matrix("embedding.weight", parameters, 0, description.Tasks, description.EmbeddingSize));
        }

        AddLayers(tensors, description.DecoderLayers, parameters, description.DecoderOffset);
        if (description.ChunkSize > 0)
        {
            tensors.Add(TensorBinding.Matrix("chunk_embedding.weight", parameters, description.ChunkEmbeddingsOffset, description.ChunkCount, description.ChunkEmbeddingSize));
        }

        // Shared target layers under "shared.": the decoder's layer names are identifiers, so they cannot collide.
        int shared = description.SharedOffset;
        foreach (LayerDescription layer in description.TargetLayers)
        {
            if (layer.Shared && layer.ParameterCount > 0)
            {
                foreach (TorchTensor tensor in TorchTensors.Of(layer))
                {
                    tensors.Add(TensorBinding.Layer(SharedPrefix + layer.Name + "." + tensor.Suffix, parameters, shared - layer.WeightsOffset, tensor));
                }

                shared += layer.ParameterCount;
            }
        }

        // The task encoder's layers and attention blocks under "encoder.", for the same reason.
        foreach (LayerDescription layer in System.Linq.Enumerable.Concat(description.EncoderLayers, description.SetAttention))
        {
            foreach (TorchTensor tensor in TorchTensors.Of(layer))
            {
                tensors.Add(TensorBinding.Layer(EncoderPrefix + layer.Name + "." + tensor.Suffix, parameters, description.EncoderOffset, tensor));
            }
        }

        // Attention across chunk tokens is part of the decoder: its blocks are named at the top level, as g's layers are.
        foreach (LayerDescription block in description.ChunkAttention)
        {
            foreach (TorchTensor tensor in TorchTensors.Of(block))
            {
                tensors.Add(TensorBinding.Layer(block.Name + "." + tensor.Suffix, parameters, description.ChunkAttentionOffset, tensor));
            }
        }

        CheckCoverage(description.Name, tensors, parameters.Length);
        return tensors;
    }

    /// <summary>The prefix of a shared target layer's tensors in a hypernetwork's checkpoint: <c>shared.Conv0.weight</c>.</summary>
    public const string SharedPrefix = "shared.";

    /// <summary>The prefix of a task encoder's tensors in a hypernetwork's checkpoint: <c>encoder.Dense0.weight</c>.</summary>
    public const string EncoderPrefix = "encoder.";

    /// <summary>A chunked head's fixed output scale, a buffer rather than a parameter; none when not chunked.</summary>
    private static TensorBinding[] ScaleTensor(float[]? outputScale)
        => outputScale is null ? [] : [TensorBinding.Vector("output_scale", outputScale, 0, outputScale.Length)];

    private static List<TensorBinding> TargetTensors(IReadOnlyList<LayerDescription> layers, float[] parameters)
    {
        var tensors = new List<TensorBinding>();
        AddLayers(tensors, layers, parameters, 0);
        CheckCoverage("the target network", tensors, parameters.Length);
        return tensors;
    }

    private static void AddLayers(List<TensorBinding> tensors, IReadOnlyList<LayerDescription> layers, float[] parameters, int offset)
    {
        foreach (LayerDescription layer in layers)
        {
            foreach (TorchTensor tensor in TorchTensors.Of(layer))
            {
                tensors.Add(TensorBinding.Layer(layer.Name + "." + tensor.Suffix, parameters, offset, tensor));
            }
        }
    }

    /// <summary>The tensors must name every parameter once: a layer named like another tensor would make the file ambiguous.</summary>
    private static void CheckCoverage(string network, List<TensorBinding> tensors, int parameterCount)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        long covered = 0;
        foreach (TensorBinding tensor in tensors)
        {
            if (!names.Add(tensor.Name))
            {
                throw new InvalidOperationException($"{network}: two tensors would be named '{tensor.Name}' in a checkpoint; rename the layer.");
            }

            covered += tensor.Length;
        }

        if (covered != parameterCount)
        {
            throw new InvalidOperationException($"{network}: the checkpoint's tensors cover {covered} of {parameterCount} parameters.");
        }
    }

    /// <summary>One tensor per optimizer buffer and parameter tensor, shaped and transposed as the parameter tensor.</summary>
    private static List<TensorBinding> OptimizerTensors(List<TensorBinding> parameterTensors, IReadOnlyList<KeyValuePair<string, float[]>> buffers)
    {
        var tensors = new List<TensorBinding>();
        foreach (KeyValuePair<string, float[]> buffer in buffers)
        {
            foreach (TensorBinding tensor in parameterTensors)
            {
                tensors.Add(tensor with { Name = OptimizerPrefix + tensor.Name + "." + buffer.Key, Buffer = buffer.Value });
            }
        }

        return tensors;
    }

    /// <summary>Checks every expected tensor's presence, dtype and shape, and that nothing else is there; then copies the values.</summary>
    private static void ReadTensors(SafetensorsContent content, List<TensorBinding> expected, string? ignorePrefix)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (TensorBinding tensor in expected)
        {
            names.Add(tensor.Name);
            if (!content.Entries.TryGetValue(tensor.Name, out SafetensorsEntry? entry))
            {
                throw new CheckpointException(CheckpointError.MissingTensor, content.Path, $"tensor '{tensor.Name}' {TensorBinding.Format(tensor.Shape)} is missing.");
            }

            if (entry.Dtype != "F32")
            {
                throw new CheckpointException(CheckpointError.WrongDtype, content.Path, $"tensor '{tensor.Name}' has dtype {entry.Dtype}; it must be F32.");
            }

            if (!entry.Shape.AsSpan().SequenceEqual(tensor.Shape))
            {
                throw new CheckpointException(CheckpointError.ShapeMismatch, content.Path, $"tensor '{tensor.Name}' has shape {TensorBinding.Format(entry.Shape)}; the model's is {TensorBinding.Format(tensor.Shape)}.");
            }
        }

        foreach (string name in content.Entries.Keys)
        {
            if (!names.Contains(name) && !(ignorePrefix is not null && name.StartsWith(ignorePrefix, StringComparison.Ordinal)))
            {
                throw new CheckpointException(CheckpointError.UnexpectedTensor, content.Path, $"the file holds tensor '{name}', which the model does not have.");
            }
        }

        foreach (TensorBinding tensor in expected)
        {
            tensor.CopyFromFileOrder(content.Floats(content.Entries[tensor.Name]));
        }
    }
}
