using System;
using System.Collections.Generic;
using HyperDsl.Kernels;

namespace HyperDsl.Export;

/// <summary>
/// Exports a generated target network with a given W — for example the W a hypernetwork generated for one task — as an
/// ONNX model that ONNX Runtime and other engines run: input <c>x</c> <c>[batch × InputSize]</c>, output <c>y</c>
/// <c>[batch × OutputSize]</c>, one MatMul, Add and activation per layer.
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
        graph.AddInput("x", null, TTarget.InputSize);
        string current = "x";
        IReadOnlyList<LayerDescription> layers = TTarget.Layers;
        for (int l = 0; l < layers.Count; l++)
        {
            LayerDescription layer = layers[l];
            string prefix = layer.Name;
            // W is stored input-major, [Inputs × Units]: the right-hand operand of MatMul as it is.
            graph.AddInitializer(prefix + ".weight", parameters.Slice(layer.WeightsOffset, layer.WeightsLength), layer.Inputs, layer.Units);
            graph.AddInitializer(prefix + ".bias", parameters.Slice(layer.BiasOffset, layer.Units), layer.Units);
            string product = graph.AddNode("MatMul", prefix + ".matmul", current, prefix + ".weight");
            string z = graph.AddNode("Add", prefix + ".z", product, prefix + ".bias");
            current = AddActivation(graph, layer.Activation, z, l == layers.Count - 1 ? "y" : prefix + ".y");
        }

        graph.AddOutput("y", null, TTarget.OutputSize);
        return graph;
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
