using System;
using System.Linq;
using HyperDsl.Tests.Networks;
using HyperDsl.Tests.Reference;
using Xunit;
using Xunit.Abstractions;

namespace HyperDsl.Tests.Hyper;

/// <summary>
/// At initialisation, each generated target layer has the variance hyperfan aims at — gain²/(2·fan) for weights,
/// gain²/2 for biases — within a factor of 2, over many tasks and seeds, for a full and a chunked hypernetwork.
/// </summary>
public sealed class HyperfanInitTests(ITestOutputHelper output)
{
    private static readonly ReferenceNetwork SineNetReference = new(1, new[] { (40, Activation.Relu), (40, Activation.Relu), (1, Activation.Identity) });

    [Theory]
    [InlineData(false, HyperfanInit.FanIn)]
    [InlineData(false, HyperfanInit.FanOut)]
    [InlineData(true, HyperfanInit.FanIn)]
    [InlineData(true, HyperfanInit.FanOut)]
    public void Generated_layers_start_with_the_hyperfan_variance(bool chunked, HyperfanInit init)
    {
        double[] expected = ReferenceHyperNetwork.HyperfanScale(SineNetReference, fanOut: init == HyperfanInit.FanOut).Select(s => s * s).ToArray();
        var sums = new double[SineNetReference.Layers.Count * 2];
        var counts = new long[sums.Length];
        float[] weights = new float[SineNet.ParameterCount];
        for (int seed = 1; seed <= 4; seed++)
        {
            HyperNetworkModel<SineNet> model = chunked ? new ChunkedSineHyper(maxTasks: 4, maxSamplesPerTask: 1) : new SineHyper(maxTasks: 4, maxSamplesPerTask: 1);
            model.Initialize(seed, init);
            for (int task = 0; task < 100; task++)
            {
                if (model is SineHyper full)
                {
                    full.Generate(task, weights);
                }
                else
                {
                    ((ChunkedSineHyper)model).Generate(task, weights);
                }

                for (int l = 0; l < SineNetReference.Layers.Count; l++)
                {
                    ReferenceLayer layer = SineNetReference.Layers[l];
                    int offset = SineNetReference.WeightsOffset(l);
                    Accumulate(weights.AsSpan(offset, layer.Inputs * layer.Units), ref sums[2 * l], ref counts[2 * l]);
                    Accumulate(weights.AsSpan(offset + (layer.Inputs * layer.Units), layer.Units), ref sums[(2 * l) + 1], ref counts[(2 * l) + 1]);
                }
            }
        }

        for (int l = 0; l < SineNetReference.Layers.Count; l++)
        {
            int offset = SineNetReference.WeightsOffset(l);
            ReferenceLayer layer = SineNetReference.Layers[l];
            Check($"layer {l} weights", sums[2 * l] / counts[2 * l], expected[offset]);
            Check($"layer {l} bias", sums[(2 * l) + 1] / counts[(2 * l) + 1], expected[offset + (layer.Inputs * layer.Units)]);
        }

        void Check(string what, double actual, double target)
        {
            output.WriteLine($"{(chunked ? "chunked" : "full")} {init}, {what}: variance {actual:G4}, hyperfan target {target:G4}, ratio {actual / target:F2}");
            Assert.InRange(actual / target, 0.5, 2.0);
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_parameters_and_another_seed_others()
    {
        var first = new ChunkedSineHyper(maxTasks: 2, maxSamplesPerTask: 2);
        var second = new ChunkedSineHyper(maxTasks: 5, maxSamplesPerTask: 3);
        first.Initialize(42);
        second.Initialize(42);
        Assert.True(first.Parameters.SequenceEqual(second.Parameters));
        second.Initialize(43);
        Assert.False(first.Parameters.SequenceEqual(second.Parameters));
    }

    [Fact]
    public void Embeddings_are_standard_normal()
    {
        var model = new SineHyper(maxTasks: 1, maxSamplesPerTask: 1);
        model.Initialize(7);
        float[] table = model.TaskEmbeddings.ToArray();
        double mean = table.Average(v => (double)v);
        double variance = table.Average(v => (v - mean) * (v - mean));
        Assert.InRange(mean, -0.05, 0.05);
        Assert.InRange(variance, 0.95, 1.05);
    }

    private static void Accumulate(ReadOnlySpan<float> values, ref double sum, ref long count)
    {
        foreach (float value in values)
        {
            sum += value * (double)value;
        }

        count += values.Length;
    }
}
