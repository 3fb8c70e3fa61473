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
        "SineNet", "IdentityNet", "ReluNet", "LeakyReluNet", "TanhNet", "SigmoidNet", "GeluNet", "SiluNet", "SoftplusNet", "MixedNet", "WideNet", "LogisticNet");

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

    [Fact]
    public void The_wrong_number_of_parameters_is_refused()
    {
        var exception = Assert.Throws<ArgumentException>(() => OnnxExport.TargetNetworkGraph<SineNet>(new float[10]));
        Assert.Contains("ParameterCount = 1761", exception.Message);
    }

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
        nameof(MixedNet) => OnnxExport.TargetNetworkGraph<MixedNet>(parameters),
        nameof(WideNet) => OnnxExport.TargetNetworkGraph<WideNet>(parameters),
        _ => OnnxExport.TargetNetworkGraph<LogisticNet>(parameters),
    };
}
