using System;
using System.Reflection;
using HyperDsl.Tests.Networks;
using HyperDsl.Tests.Numerics;
using HyperDsl.Tests.Reference;
using Xunit;

namespace HyperDsl.Tests;

/// <summary>The generated constants and Layout follow the contract's parameter layout.</summary>
public sealed class LayoutTests
{
    [Fact]
    public void SineNet_has_the_sizes_and_offsets_of_the_contract()
    {
        Assert.Equal(1, SineNet.InputSize);
        Assert.Equal(1, SineNet.OutputSize);
        Assert.Equal(1761, SineNet.ParameterCount);
        Assert.Equal(0, SineNet.Layout.Dense0Weights);
        Assert.Equal(40, SineNet.Layout.Dense0WeightsLength);
        Assert.Equal(40, SineNet.Layout.Dense0Bias);
        Assert.Equal(40, SineNet.Layout.Dense0BiasLength);
        Assert.Equal(80, SineNet.Layout.Dense1Weights);
        Assert.Equal(1600, SineNet.Layout.Dense1WeightsLength);
        Assert.Equal(1680, SineNet.Layout.Dense1Bias);
        Assert.Equal(1720, SineNet.Layout.Dense2Weights);
        Assert.Equal(1760, SineNet.Layout.Dense2Bias);
        Assert.Equal(1, SineNet.Layout.Dense2BiasLength);
    }

    [Fact]
    public void A_named_layer_names_its_layout_constants()
    {
        Assert.Equal(0, LogisticNet.Layout.LogitWeights);
        Assert.Equal(2, LogisticNet.Layout.LogitWeightsLength);
        Assert.Equal(2, LogisticNet.Layout.LogitBias);
        Assert.Equal(3, LogisticNet.ParameterCount);
    }

    [Theory]
    [MemberData(nameof(NetworkCatalog.Names), MemberType = typeof(NetworkCatalog))]
    public void Layout_matches_the_reference_layout(string name)
    {
        (CompiledNetwork network, ReferenceNetwork reference) = NetworkCatalog.Get(name);
        Type layout = network.Type.GetNestedType("Layout", BindingFlags.Public)!;
        Assert.Equal(reference.ParameterCount, network.ParameterCount);
        for (int l = 0; l < reference.Layers.Count; l++)
        {
            string layer = name == "LogisticNet" ? "Logit" : "Dense" + l;
            ReferenceLayer shape = reference.Layers[l];
            Assert.Equal(reference.WeightsOffset(l), CompiledNetwork.Constant(layout, layer + "Weights"));
            Assert.Equal(shape.Inputs * shape.Units, CompiledNetwork.Constant(layout, layer + "WeightsLength"));
            Assert.Equal(reference.WeightsOffset(l) + (shape.Inputs * shape.Units), CompiledNetwork.Constant(layout, layer + "Bias"));
            Assert.Equal(shape.Units, CompiledNetwork.Constant(layout, layer + "BiasLength"));
        }
    }
}
