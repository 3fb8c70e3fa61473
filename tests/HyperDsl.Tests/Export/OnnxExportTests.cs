using System;
using System.Linq;
using HyperDsl.Export;
using HyperDsl.Tests.Networks;
using HyperDsl.Tests.Numerics;
using HyperDsl.Tests.Reference;
using Microsoft.ML.OnnxRuntime;
using Xunit;

namespace HyperDsl.Tests.Export;

/// <summary>ONNX Runtime runs the exported model of a target network and agrees with the generated Forward.</summary>
public sealed class OnnxExportTests
{
    public static TheoryData<string> Networks => new(
        "SineNet", "IdentityNet", "ReluNet", "LeakyReluNet", "TanhNet", "SigmoidNet", "GeluNet", "SiluNet", "SoftplusNet", "EluNet", "MixedNet", "WideNet", "LogisticNet");

    [Theory]
    [MemberData(nameof(Networks))]
    public void Onnx_Runtime_agrees_with_the_generated_forward(string name)
    {
        (CompiledNetwork network, ReferenceNetwork reference) = NetworkCatalog.Get(name);
        var random = new Random(17);
        float[] parameters = RandomData.Parameters(reference, random);
        const int batch = 7;
        float[] inputs = RandomData.Uniform(batch * network.InputSize, -2f, 2f, random);
        float[] expected = new float[batch * network.OutputSize];
        network.Forward(parameters, inputs, expected, batch, new float[network.WorkspaceSize(batch)]);

        byte[] model = Graph(network.Type, parameters).ToBytes();
        using var session = new InferenceSession(model);
        using var input = OrtValue.CreateTensorValueFromMemory(inputs, new long[] { batch, network.InputSize });
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, new[] { "x" }, new[] { input }, new[] { "y" });
        float[] actual = results[0].GetTensorDataAsSpan<float>().ToArray();

        Assert.Equal(expected.Length, actual.Length);
        Tolerance.AssertClose(actual, expected.Select(v => (double)v).ToArray(), 1e-5, $"{name}: ONNX Runtime vs Forward");
    }

    public static TheoryData<string> ImageNetworks => new("ConvValidNet", "ConvStridedNet", "PoolNet", "ResidualImageNet", "ResidualVectorNet", "EluImageNet", "LeNet");

    [Theory]
    [MemberData(nameof(ImageNetworks))]
    public void Onnx_Runtime_agrees_with_the_generated_forward_of_networks_with_images_convolutions_pools_and_norms(string name)
    {
        Type type = typeof(ConvValidNet).Assembly.GetType("HyperDsl.Tests.Networks." + name)!;
        var network = CompiledNetwork.From(type);
        var layers = (System.Collections.Generic.IReadOnlyList<LayerDescription>)type.GetProperty("Layers")!.GetValue(null)!;
        var random = new Random(23);
        float[] parameters = RandomData.Uniform(network.ParameterCount, -0.3f, 0.3f, random);
        foreach (LayerDescription layer in layers.Where(l => l.Kind == LayerKind.LayerNorm))
        {
            parameters.AsSpan(layer.WeightsOffset, layer.WeightsLength).Fill(1.2f);
        }

        const int batch = 5;
        float[] inputs = RandomData.Uniform(batch * network.InputSize, -2f, 2f, random);
        float[] expected = new float[batch * network.OutputSize];
        network.Forward(parameters, inputs, expected, batch, new float[network.WorkspaceSize(batch)]);

        using var session = new InferenceSession(ImageGraph(name, parameters).ToBytes());
        Shape shape = layers[0].InputShape;
        long[] inputShape = shape.IsImage ? new long[] { batch, shape.Channels, shape.Height, shape.Width } : new long[] { batch, shape.Size };
        using var input = OrtValue.CreateTensorValueFromMemory(inputs, inputShape);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, new[] { "x" }, new[] { input }, new[] { "y" });
        float[] actual = results[0].GetTensorDataAsSpan<float>().ToArray();

        Assert.Equal(expected.Length, actual.Length);
        Tolerance.AssertClose(actual, expected.Select(v => (double)v).ToArray(), 1e-5, $"{name}: ONNX Runtime vs Forward");
    }

    [Fact]
    public void The_wrong_number_of_parameters_is_refused()
    {
        var exception = Assert.Throws<ArgumentException>(() => OnnxExport.TargetNetworkGraph<SineNet>(new float[10]));
        Assert.Contains("ParameterCount = 1761", exception.Message);
    }

    private static OnnxGraph ImageGraph(string name, float[] parameters) => name switch
    {
        nameof(ConvValidNet) => OnnxExport.TargetNetworkGraph<ConvValidNet>(parameters),
        nameof(EluImageNet) => OnnxExport.TargetNetworkGraph<EluImageNet>(parameters),
        nameof(ConvStridedNet) => OnnxExport.TargetNetworkGraph<ConvStridedNet>(parameters),
        nameof(PoolNet) => OnnxExport.TargetNetworkGraph<PoolNet>(parameters),
        nameof(ResidualImageNet) => OnnxExport.TargetNetworkGraph<ResidualImageNet>(parameters),
        nameof(ResidualVectorNet) => OnnxExport.TargetNetworkGraph<ResidualVectorNet>(parameters),
        nameof(LeNet) => OnnxExport.TargetNetworkGraph<LeNet>(parameters),
        _ => throw new ArgumentException("not an image network: " + name, nameof(name)),
    };

    private static OnnxGraph Graph(Type network, float[] parameters) => network.Name switch
    {
        nameof(SineNet) => OnnxExport.TargetNetworkGraph<SineNet>(parameters),
        nameof(IdentityNet) => OnnxExport.TargetNetworkGraph<IdentityNet>(parameters),
        nameof(ReluNet) => OnnxExport.TargetNetworkGraph<ReluNet>(parameters),
        nameof(LeakyReluNet) => OnnxExport.TargetNetworkGraph<LeakyReluNet>(parameters),
        nameof(TanhNet) => OnnxExport.TargetNetworkGraph<TanhNet>(parameters),
        nameof(SigmoidNet) => OnnxExport.TargetNetworkGraph<SigmoidNet>(parameters),
        nameof(GeluNet) => OnnxExport.TargetNetworkGraph<GeluNet>(parameters),
        nameof(SiluNet) => OnnxExport.TargetNetworkGraph<SiluNet>(parameters),
        nameof(SoftplusNet) => OnnxExport.TargetNetworkGraph<SoftplusNet>(parameters),
        nameof(EluNet) => OnnxExport.TargetNetworkGraph<EluNet>(parameters),
        nameof(MixedNet) => OnnxExport.TargetNetworkGraph<MixedNet>(parameters),
        nameof(WideNet) => OnnxExport.TargetNetworkGraph<WideNet>(parameters),
        _ => OnnxExport.TargetNetworkGraph<LogisticNet>(parameters),
    };
}
