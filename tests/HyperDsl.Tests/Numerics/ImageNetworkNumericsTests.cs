using System;
using System.Collections.Generic;
using System.Linq;
using HyperDsl.Tests.Networks;
using HyperDsl.Tests.Reference;
using Xunit;

namespace HyperDsl.Tests.Numerics;

/// <summary>
/// Generated networks with images against <see cref="ReferenceImageNetwork"/>: shapes and offsets, Forward for small
/// and large batches, and Backward's parameter and input gradients against central finite differences of the
/// double-precision reference.
/// </summary>
[Trait("Category", "Numerics")]
public sealed class ImageNetworkNumericsTests
{
    private static IReadOnlyDictionary<string, (Type Type, ReferenceImageNetwork Reference)> Networks => ImageCatalog.Networks;

    public static IEnumerable<object[]> Names => Networks.Keys.Select(name => new object[] { name });

    /// <summary>The networks small enough for every parameter's finite difference.</summary>
    public static IEnumerable<object[]> SmallNames => Networks.Keys.Where(name => name != "LeNet").Select(name => new object[] { name });

    [Theory]
    [MemberData(nameof(Names))]
    public void Shapes_and_offsets_are_those_the_reference_works_out(string name)
    {
        (Type type, ReferenceImageNetwork reference) = Networks[name];
        var network = CompiledNetwork.From(type);
        Assert.Equal(reference.Input.Size, network.InputSize);
        Assert.Equal(reference.Output.Size, network.OutputSize);
        Assert.Equal(reference.ParameterCount, network.ParameterCount);
        var layers = (IReadOnlyList<LayerDescription>)type.GetProperty("Layers")!.GetValue(null)!;
        var expected = reference.Layers.ToList();
        Assert.Equal(expected.Count, layers.Count);
        for (int l = 0; l < layers.Count; l++)
        {
            Assert.Equal(expected[l].Kind, layers[l].Kind);
            Assert.Equal(expected[l].Input, layers[l].InputShape);
            Assert.Equal(expected[l].Output, layers[l].OutputShape);
            Assert.Equal(expected[l].Weights, layers[l].WeightsOffset);
            Assert.Equal(expected[l].Bias, layers[l].BiasOffset);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Forward_matches_the_reference_for_one_sample_and_many(string name)
    {
        (Type type, ReferenceImageNetwork reference) = Networks[name];
        var network = CompiledNetwork.From(type);
        var random = new Random(name.Length);
        float[] parameters = Parameters(type, reference, random);
        foreach (int batch in name == "LeNet" ? new[] { 1, 64 } : new[] { 1, 3, 17 })
        {
            float[] inputs = RandomData.Uniform(batch * network.InputSize, -1f, 1f, random);
            float[] outputs = new float[batch * network.OutputSize];
            network.Forward(parameters, inputs, outputs, batch, new float[network.WorkspaceSize(batch)]);
            double[] expected = reference.Forward(ToDouble(parameters), ToDouble(inputs), batch);
            Tolerance.AssertClose(outputs, expected, 1e-4, $"{name}, batch {batch}, outputs");
        }
    }

    [Theory]
    [MemberData(nameof(SmallNames))]
    public void Backward_matches_finite_differences_of_the_reference_for_every_parameter_and_input(string name)
    {
        (Type type, ReferenceImageNetwork reference) = Networks[name];
        CheckGradients(name, type, reference, batch: 3, parameterSample: int.MaxValue, inputSample: int.MaxValue);
    }

    /// <summary>A batch larger than any tile of samples the backward pass carries, so that tiles follow tiles and the last is partial.</summary>
    [Theory]
    [MemberData(nameof(SmallNames))]
    public void Backward_over_a_large_batch_matches_finite_differences_on_a_sample_of_its_parameters_and_inputs(string name)
    {
        (Type type, ReferenceImageNetwork reference) = Networks[name];
        CheckGradients(name, type, reference, batch: 37, parameterSample: 60, inputSample: 40);
    }

    [Fact]
    public void Backward_of_a_LeNet_size_network_matches_finite_differences_on_a_sample_of_its_parameters_and_inputs()
    {
        (Type type, ReferenceImageNetwork reference) = Networks["LeNet"];
        CheckGradients("LeNet", type, reference, batch: 2, parameterSample: 80, inputSample: 30);
    }

    [Theory]
    [MemberData(nameof(SmallNames))]
    public void Backward_adds_to_the_gradients_already_there_and_accepts_an_empty_input_gradient(string name)
    {
        (Type type, ReferenceImageNetwork reference) = Networks[name];
        var network = CompiledNetwork.From(type);
        var random = new Random(7);
        const int Batch = 2;
        float[] parameters = Parameters(type, reference, random);
        float[] inputs = RandomData.Uniform(Batch * network.InputSize, -1f, 1f, random);
        float[] outputGradients = RandomData.Uniform(Batch * network.OutputSize, -1f, 1f, random);
        float[] workspace = new float[network.WorkspaceSize(Batch)];
        network.Forward(parameters, inputs, new float[Batch * network.OutputSize], Batch, workspace);

        float[] fresh = new float[network.ParameterCount];
        network.Backward(parameters, inputs, outputGradients, Batch, workspace, fresh, Span<float>.Empty);
        float[] prefilled = RandomData.Uniform(network.ParameterCount, -1f, 1f, random);
        float[] sum = (float[])prefilled.Clone();
        network.Backward(parameters, inputs, outputGradients, Batch, workspace, sum, Span<float>.Empty);
        Tolerance.AssertClose(sum, fresh.Zip(prefilled, (a, b) => (double)a + b).ToArray(), 1e-6, $"{name}: Backward adds");
        Assert.Contains(fresh, value => value != 0f);
    }

    private static void CheckGradients(string name, Type type, ReferenceImageNetwork reference, int batch, int parameterSample, int inputSample)
    {
        var network = CompiledNetwork.From(type);
        var random = new Random(11);
        float[] parameters = Parameters(type, reference, random);
        float[] inputs = RandomData.Uniform(batch * network.InputSize, -1f, 1f, random);
        float[] outputGradients = RandomData.Uniform(batch * network.OutputSize, -1f, 1f, random);
        float[] workspace = new float[network.WorkspaceSize(batch)];
        network.Forward(parameters, inputs, new float[batch * network.OutputSize], batch, workspace);
        float[] parameterGradients = new float[network.ParameterCount];
        float[] inputGradients = new float[batch * network.InputSize];
        network.Backward(parameters, inputs, outputGradients, batch, workspace, parameterGradients, inputGradients);

        int[] parameterIndices = Sample(network.ParameterCount, parameterSample, random);
        int[] inputIndices = Sample(inputs.Length, inputSample, random);
        (double[] expectedParameters, double[] expectedInputs) = reference.Gradients(ToDouble(parameters), ToDouble(inputs), batch, ToDouble(outputGradients), parameterIndices, inputIndices);
        Tolerance.AssertClose(parameterIndices.Select(i => parameterGradients[i]).ToArray(), expectedParameters, 1e-3, $"{name}: parameter gradients");
        Tolerance.AssertClose(inputIndices.Select(i => inputGradients[i]).ToArray(), expectedInputs, 1e-3, $"{name}: input gradients");
    }

    private static int[] Sample(int count, int wanted, Random random)
        => wanted >= count ? Enumerable.Range(0, count).ToArray() : Enumerable.Range(0, count).OrderBy(_ => random.Next()).Take(wanted).OrderBy(i => i).ToArray();

    /// <summary>Weights uniform in ±√(3/fan-in), biases in ±0.5, LayerNorm's γ in 1 ± 0.5 and β in ±0.5.</summary>
    private static float[] Parameters(Type type, ReferenceImageNetwork reference, Random random)
    {
        var layers = (IReadOnlyList<LayerDescription>)type.GetProperty("Layers")!.GetValue(null)!;
        float[] parameters = new float[reference.ParameterCount];
        foreach (LayerDescription layer in layers)
        {
            float bound = layer.Kind == LayerKind.LayerNorm ? 0.5f : MathF.Sqrt(3f / Math.Max(1, layer.FanIn));
            float center = layer.Kind == LayerKind.LayerNorm ? 1f : 0f;
            for (int i = 0; i < layer.WeightsLength; i++)
            {
                parameters[layer.WeightsOffset + i] = center + (bound * ((2f * random.NextSingle()) - 1f));
            }

            for (int i = 0; i < layer.BiasLength; i++)
            {
                parameters[layer.BiasOffset + i] = 0.5f * ((2f * random.NextSingle()) - 1f);
            }
        }

        return parameters;
    }

    private static double[] ToDouble(IEnumerable<float> values) => values.Select(v => (double)v).ToArray();
}
