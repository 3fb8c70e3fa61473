using System;
using System.Collections.Generic;
using HyperDsl.Kernels;

namespace HyperDsl.Export;

/// <summary>
/// Exports a generated target network with a given W — for example the W a hypernetwork generated for one task — as an
/// ONNX model that ONNX Runtime and other engines run: input <c>x</c> <c>[batch, InputSize]</c> (an image
/// <c>[batch, C, H, W]</c>), output <c>y</c> likewise; per Dense layer a MatMul, an Add and the activation, per Conv2D a
/// Conv and the activation, MaxPool, AveragePool, GlobalAveragePool and LayerNormalization for the others, an Add for a
/// residual. Every tensor is in PyTorch's order.
/// </summary>
public static class OnnxExport
{
    /// <summary>Writes the ONNX model of <typeparamref name="TTarget"/> with the parameters W to <paramref name="path"/>, atomically.</summary>
    /// <typeparam name="TTarget">The target network.</typeparam>
    /// <param name="path">The file to write.</param>
    /// <param name="parameters">W, exactly TTarget.ParameterCount floats.</param>
    public static void SaveTargetNetwork<TTarget>(string path, ReadOnlySpan<float> parameters)
        where TTarget : ITargetNetwork
        => TargetNetworkGraph<TTarget>(parameters).Save(path);

    /// <summary>The ONNX graph of <typeparamref name="TTarget"/> with the parameters W.</summary>
    /// <typeparam name="TTarget">The target network.</typeparam>
    /// <param name="parameters">W, exactly TTarget.ParameterCount floats.</param>
    /// <param name="name">The graph's name.</param>
    /// <returns>The graph, to save or to extend.</returns>
    public static OnnxGraph TargetNetworkGraph<TTarget>(ReadOnlySpan<float> parameters, string name = "target")
        where TTarget : ITargetNetwork
    {
        if (parameters.Length != TTarget.ParameterCount)
        {
            throw new ArgumentException($"parameters must hold the target's ParameterCount = {TTarget.ParameterCount} floats, but holds {parameters.Length}.", nameof(parameters));
        }

        var graph = new OnnxGraph(name);
        IReadOnlyList<LayerDescription> layers = TTarget.Layers;
        Shape input = layers[0].InputShape;
        AddValue(graph, "x", input, isInput: true);
        string current = "x";
        for (int l = 0; l < layers.Count; l++)
        {
            LayerDescription layer = layers[l];
            string prefix = layer.Name;
            string layerInput = current;
            switch (layer.Kind)
            {
                case LayerKind.Dense:
                {
                    if (layer.InputShape.IsImage)
                    {
                        current = graph.AddNode("Flatten", prefix + ".flat", new[] { current }, OnnxAttribute.Of("axis", 1L));
                    }

                    // MatMul's right operand is [in × out], with in in PyTorch's (c, h, w) order.
                    float[] weights = new float[layer.WeightsLength];
                    for (int i = 0; i < layer.Inputs; i++)
                    {
                        parameters.Slice(layer.WeightsOffset + (Checkpoints.TorchTensors.StoredFeature(layer.InputShape, i) * layer.Units), layer.Units).CopyTo(weights.AsSpan(i * layer.Units, layer.Units));
                    }

                    graph.AddInitializer(prefix + ".weight", weights, layer.Inputs, layer.Units);
                    graph.AddInitializer(prefix + ".bias", parameters.Slice(layer.BiasOffset, layer.Units), layer.Units);
                    string product = graph.AddNode("MatMul", prefix + ".matmul", current, prefix + ".weight");
                    current = AddActivation(graph, layer.Activation, graph.AddNode("Add", prefix + ".z", product, prefix + ".bias"), prefix + ".y");
                    break;
                }

                case LayerKind.Conv2D:
                {
                    AddTorchTensors(graph, layer, parameters);
                    int bottom = Padding(layer.InputShape.Height, layer.OutputShape.Height, layer.Kernel, layer.Stride) - layer.PadTop;
                    int right = Padding(layer.InputShape.Width, layer.OutputShape.Width, layer.Kernel, layer.Stride) - layer.PadLeft;
                    string z = graph.AddNode(
                        "Conv",
                        prefix + ".z",
                        new[] { current, prefix + ".weight", prefix + ".bias" },
                        OnnxAttribute.Of("kernel_shape", layer.Kernel, layer.Kernel),
                        OnnxAttribute.Of("strides", layer.Stride, layer.Stride),
                        OnnxAttribute.Of("pads", layer.PadTop, layer.PadLeft, bottom, right));
                    current = AddActivation(graph, layer.Activation, z, prefix + ".y");
                    break;
                }

                case LayerKind.MaxPool2D or LayerKind.AvgPool2D:
                    current = graph.AddNode(
                        layer.Kind == LayerKind.MaxPool2D ? "MaxPool" : "AveragePool",
                        prefix + ".y",
                        new[] { current },
                        OnnxAttribute.Of("kernel_shape", layer.Kernel, layer.Kernel),
                        OnnxAttribute.Of("strides", layer.Kernel, layer.Kernel));
                    break;

                case LayerKind.GlobalAvgPool2D:
                    current = graph.AddNode("Flatten", prefix + ".y", new[] { graph.AddNode("GlobalAveragePool", prefix + ".pool", current) }, OnnxAttribute.Of("axis", 1L));
                    break;

                default:
                    AddTorchTensors(graph, layer, parameters);
                    current = graph.AddNode(
                        "LayerNormalization",
                        prefix + ".y",
                        new[] { current, prefix + ".weight", prefix + ".bias" },
                        OnnxAttribute.Of("axis", 1L),
                        OnnxAttribute.Of("epsilon", NormalizationKernels.LayerNormEpsilon));
                    break;
            }

            if (layer.Residual)
            {
                current = graph.AddNode("Add", prefix + ".residual", layerInput, current);
            }
        }

        graph.AddNode("Identity", "y", current);
        AddValue(graph, "y", layers[^1].OutputShape, isInput: false);
        return graph;
    }

    /// <summary>A layer's parameter tensors as PyTorch (and ONNX's Conv and LayerNormalization) hold them.</summary>
    private static void AddTorchTensors(OnnxGraph graph, LayerDescription layer, ReadOnlySpan<float> parameters)
    {
        foreach (Checkpoints.TorchTensor tensor in Checkpoints.TorchTensors.Of(layer))
        {
            float[] values = new float[tensor.Length];
            for (int k = 0; k < values.Length; k++)
            {
                values[k] = parameters[tensor.Offset + (tensor.Place?.Invoke(k) ?? k)];
            }

            graph.AddInitializer(layer.Name + "." + tensor.Suffix, values, tensor.Shape);
        }
    }

    /// <summary>The total padding of one side of a convolution: max((out − 1)·stride + kernel − in, 0).</summary>
    private static int Padding(int input, int output, int kernel, int stride) => Math.Max(((output - 1) * stride) + kernel - input, 0);

    /// <summary>Declares the graph's input or output: <c>[batch, C, H, W]</c> for an image, <c>[batch, features]</c> for a vector.</summary>
    private static void AddValue(OnnxGraph graph, string name, Shape shape, bool isInput)
    {
        long?[] dimensions = shape.IsImage ? [null, shape.Channels, shape.Height, shape.Width] : [null, shape.Size];
        if (isInput)
        {
            graph.AddInput(name, dimensions);
        }
        else
        {
            graph.AddOutput(name, dimensions);
        }
    }

    /// <summary>Adds the nodes of an activation from <paramref name="input"/> to <paramref name="output"/>.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="activation">The activation.</param>
    /// <param name="input">The pre-activation's name.</param>
    /// <param name="output">The name the result gets.</param>
    /// <returns><paramref name="output"/>.</returns>
    public static string AddActivation(OnnxGraph graph, Activation activation, string input, string output)
    {
        ArgumentNullException.ThrowIfNull(graph);
        switch (activation)
        {
            case Activation.Identity:
                return graph.AddNode("Identity", output, input);
            case Activation.Relu:
                return graph.AddNode("Relu", output, input);
            case Activation.LeakyRelu:
                return graph.AddNode("LeakyRelu", output, new[] { input }, ("alpha", ActivationKernels.LeakyReluSlope));
            case Activation.Tanh:
                return graph.AddNode("Tanh", output, input);
            case Activation.Sigmoid:
                return graph.AddNode("Sigmoid", output, input);
            case Activation.Softplus:
                return graph.AddNode("Softplus", output, input);
            case Activation.Elu:
                return graph.AddNode("Elu", output, new[] { input }, ("alpha", 1f));
            case Activation.Silu:
                return graph.AddNode("Mul", output, input, graph.AddNode("Sigmoid", output + ".sigmoid", input));
            case Activation.Gelu:
                // Opset 17 has no Gelu: ½·z·(1 + tanh(√(2/π)·(z + 0.044715·z³))), node by node.
                string cube = graph.AddNode("Mul", output + ".z3", graph.AddNode("Mul", output + ".z2", input, input), input);
                Constant(graph, output + ".k", 0.044715f);
                Constant(graph, output + ".c", 0.7978845608028654f);
                Constant(graph, output + ".one", 1f);
                Constant(graph, output + ".half", 0.5f);
                string inner = graph.AddNode("Add", output + ".inner", input, graph.AddNode("Mul", output + ".kz3", cube, output + ".k"));
                string tanh = graph.AddNode("Tanh", output + ".tanh", graph.AddNode("Mul", output + ".u", inner, output + ".c"));
                string onePlus = graph.AddNode("Add", output + ".1+tanh", tanh, output + ".one");
                return graph.AddNode("Mul", output, graph.AddNode("Mul", output + ".half_z", input, output + ".half"), onePlus);
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "Not a member of HyperDsl.Activation.");
        }
    }

    private static void Constant(OnnxGraph graph, string name, float value)
        => graph.AddInitializer(name, stackalloc float[] { value });
}
