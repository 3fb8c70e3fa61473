using System;
using System.Collections.Generic;
using HyperDsl.Export;
using Microsoft.ML.OnnxRuntime;

namespace HyperDsl.Benchmarks;

/// <summary>
/// ONNX Runtime sessions of the same networks with the same weights, built with HyperDsl's exporter: the target alone
/// (W as constants), the generator (embedding → W), and both chained (embedding, x → y, W sliced into the target's
/// layers inside the graph). One thread, every graph optimisation.
/// </summary>
public static class OnnxModels
{
    public static InferenceSession Session(OnnxGraph graph)
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        return new InferenceSession(graph.ToBytes(), options);
    }

    /// <summary>SineNet with the weights <paramref name="weights"/>: x [batch × 1] → y.</summary>
    public static OnnxGraph Target(float[] weights) => OnnxExport.TargetNetworkGraph<SineNet>(weights);

    /// <summary>SineHyper's generator: z [1 × 8] → w [1 × 1761].</summary>
    public static OnnxGraph Generator(SineHyper model)
    {
        var graph = new OnnxGraph("generator");
        graph.AddInput("z", 1, SineHyper.EmbeddingSize);
        AddGenerator(graph, model);
        graph.AddOutput("w", 1, SineHyper.TargetParameterCount);
        return graph;
    }

    /// <summary>Generator and target in one graph: z [1 × 8] and x [batch × 1] → y.</summary>
    public static OnnxGraph GenerateAndForward(SineHyper model)
    {
        var graph = new OnnxGraph("generate_and_forward");
        graph.AddInput("z", 1, SineHyper.EmbeddingSize);
        graph.AddInput("x", null, SineNet.InputSize);
        AddGenerator(graph, model);
        AddTargetOnGeneratedWeights(graph);
        return graph;
    }

    /// <summary>
    /// The encoder hypernetwork in one graph: pairs [K × 2] through E, their mean (ReduceMean over the pairs), g, and
    /// SineNet with the generated W on x [batch × 1] → y.
    /// </summary>
    public static OnnxGraph EncodeGenerateAndForward(SineEncoderHyper model)
    {
        var graph = new OnnxGraph("encode_generate_and_forward");
        graph.AddInput("pairs", null, SinePointEncoder.InputSize);
        graph.AddInput("x", null, SineNet.InputSize);
        ReadOnlySpan<float> theta = model.Parameters;
        string current = "pairs";
        IReadOnlyList<LayerDescription> layers = SinePointEncoder.Layers;
        for (int l = 0; l < layers.Count; l++)
        {
            current = AddDense(graph, "e" + l, current, theta.Slice(SineEncoderHyper.Layout.Encoder, SineEncoderHyper.Layout.EncoderLength), layers[l], "e" + l + ".y");
        }

        graph.AddNode("ReduceMean", "z", new[] { current }, OnnxAttribute.Of("axes", new long[] { 0 }), OnnxAttribute.Of("keepdims", 1L));
        var g0 = new LayerDescription("Dense0", SinePointEncoder.OutputSize, 64, Activation.Relu, SineEncoderHyper.Layout.Dense0Weights, SineEncoderHyper.Layout.Dense0Bias, -1);
        var head = new LayerDescription("Head", 64, SineNet.ParameterCount, Activation.Identity, SineEncoderHyper.Layout.HeadWeights, SineEncoderHyper.Layout.HeadBias, -1);
        AddDense(graph, "head", AddDense(graph, "g0", "z", theta, g0, "g0.y"), theta, head, "w");
        AddTargetOnGeneratedWeights(graph);
        return graph;
    }

    /// <summary>A dense layer whose weights and bias lie in <paramref name="parameters"/> at the layer's offsets, as constants.</summary>
    private static string AddDense(OnnxGraph graph, string name, string input, ReadOnlySpan<float> parameters, LayerDescription layer, string output)
    {
        graph.AddInitializer(name + ".weight", parameters.Slice(layer.WeightsOffset, layer.WeightsLength), layer.Inputs, layer.Units);
        graph.AddInitializer(name + ".bias", parameters.Slice(layer.BiasOffset, layer.Units), layer.Units);
        string z = graph.AddNode("Add", name + ".z", graph.AddNode("MatMul", name + ".matmul", input, name + ".weight"), name + ".bias");
        return OnnxExport.AddActivation(graph, layer.Activation, z, output);
    }

    /// <summary>SineNet on x with the weights "w" [1 × P] computed earlier in the graph, sliced into its layers: → y.</summary>
    private static void AddTargetOnGeneratedWeights(OnnxGraph graph)
    {
        graph.AddInt64Initializer("flat_shape", SineNet.ParameterCount);
        string flat = graph.AddNode("Reshape", "w_flat", "w", "flat_shape");
        graph.AddInt64Initializer("axis0", 0);
        string current = "x";
        IReadOnlyList<LayerDescription> layers = SineNet.Layers;
        for (int l = 0; l < layers.Count; l++)
        {
            LayerDescription layer = layers[l];
            string name = layer.Name;
            graph.AddInt64Initializer(name + ".w_start", layer.WeightsOffset);
            graph.AddInt64Initializer(name + ".w_end", layer.WeightsOffset + layer.WeightsLength);
            graph.AddInt64Initializer(name + ".b_start", layer.BiasOffset);
            graph.AddInt64Initializer(name + ".b_end", layer.BiasOffset + layer.Units);
            graph.AddInt64Initializer(name + ".w_shape", layer.Inputs, layer.Units);
            string weights = graph.AddNode("Reshape", name + ".weight", graph.AddNode("Slice", name + ".w_slice", flat, name + ".w_start", name + ".w_end", "axis0"), name + ".w_shape");
            string bias = graph.AddNode("Slice", name + ".bias", flat, name + ".b_start", name + ".b_end", "axis0");
            string z = graph.AddNode("Add", name + ".z", graph.AddNode("MatMul", name + ".matmul", current, weights), bias);
            current = OnnxExport.AddActivation(graph, layer.Activation, z, l == layers.Count - 1 ? "y" : name + ".y");
        }

        graph.AddOutput("y", null, SineNet.OutputSize);
    }

    private static void AddGenerator(OnnxGraph graph, SineHyper model)
    {
        ReadOnlySpan<float> theta = model.Parameters;
        graph.AddInitializer("g0.weight", theta.Slice(SineHyper.Layout.Dense0Weights, SineHyper.Layout.Dense0WeightsLength), SineHyper.EmbeddingSize, 64);
        graph.AddInitializer("g0.bias", theta.Slice(SineHyper.Layout.Dense0Bias, SineHyper.Layout.Dense0BiasLength), 64);
        graph.AddInitializer("head.weight", theta.Slice(SineHyper.Layout.HeadWeights, SineHyper.Layout.HeadWeightsLength), 64, SineHyper.TargetParameterCount);
        graph.AddInitializer("head.bias", theta.Slice(SineHyper.Layout.HeadBias, SineHyper.Layout.HeadBiasLength), SineHyper.TargetParameterCount);
        string hidden = graph.AddNode("Relu", "g0.y", graph.AddNode("Add", "g0.z", graph.AddNode("MatMul", "g0.matmul", "z", "g0.weight"), "g0.bias"));
        graph.AddNode("Add", "w", graph.AddNode("MatMul", "head.matmul", hidden, "head.weight"), "head.bias");
    }
}

/// <summary>A session with its input and output tensors bound to arrays once, so that a run allocates as little as ORT allows.</summary>
public sealed class BoundSession : IDisposable
{
    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly string[] inputNames;
    private readonly string[] outputNames;
    private readonly OrtValue[] inputValues;
    private readonly OrtValue[] outputValues;

    public BoundSession(OnnxGraph graph, (string Name, float[] Data, long[] Shape)[] inputs, (string Name, float[] Data, long[] Shape) output)
    {
        session = OnnxModels.Session(graph);
        inputNames = Array.ConvertAll(inputs, input => input.Name);
        inputValues = Array.ConvertAll(inputs, input => OrtValue.CreateTensorValueFromMemory(input.Data, input.Shape));
        outputNames = new[] { output.Name };
        outputValues = new[] { OrtValue.CreateTensorValueFromMemory(output.Data, output.Shape) };
    }

    public void Run() => session.Run(runOptions, inputNames, inputValues, outputNames, outputValues);

    public void Dispose()
    {
        foreach (OrtValue value in inputValues)
        {
            value.Dispose();
        }

        outputValues[0].Dispose();
        runOptions.Dispose();
        session.Dispose();
    }
}
