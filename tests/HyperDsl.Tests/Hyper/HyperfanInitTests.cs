using System;
using System.Collections.Generic;
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

    /// <summary>
    /// Convolutions aim at their kernel²·channels fan-in (kernel²·filters fan-out); a LayerNorm's γ starts at 1 and β
    /// at 0, each within 0.1 — with a full head (through the head's bias) and a chunked one (through the fixed offset).
    /// </summary>
    [Theory]
    [InlineData("ResidualImageHyper", HyperfanInit.FanIn)]
    [InlineData("ResidualImageHyper", HyperfanInit.FanOut)]
    [InlineData("PoolChunkedHyper", HyperfanInit.FanIn)]
    [InlineData("ConvFullHyper", HyperfanInit.FanOut)]
    public void Generated_image_layers_start_with_the_hyperfan_variance_and_norms_near_identity(string name, HyperfanInit init)
    {
        (IHyperModel model, ReferenceHyperNetwork reference) = HyperCatalog.Create(name, maxTasks: 1, maxSamplesPerTask: 1);
        var target = (ReferenceImageNetwork)reference.Target;
        double[] scale = target.HyperfanScale(fanOut: init == HyperfanInit.FanOut);
        double[] offsets = target.ParameterOffsets();
        var layers = target.Layers.ToList();
        var regions = new List<(string What, int Start, int End)>();
        for (int l = 0; l < layers.Count; l++)
        {
            int end = l + 1 < layers.Count ? layers[l + 1].Weights : target.ParameterCount;
            if (layers[l].Bias > layers[l].Weights)
            {
                regions.Add(($"layer {l} {layers[l].Kind} weights", layers[l].Weights, layers[l].Bias));
                regions.Add(($"layer {l} {layers[l].Kind} bias", layers[l].Bias, end));
            }
        }

        var sums = new double[regions.Count];
        var counts = new long[regions.Count];
        float[] weights = new float[target.ParameterCount];
        var random = new Random(5);
        for (int seed = 1; seed <= 4; seed++)
        {
            model.Initialize(seed, init);
            for (int draw = 0; draw < 100; draw++)
            {
                float[] embedding = Enumerable.Range(0, reference.EmbeddingSize).Select(_ => (float)Gaussian(random)).ToArray();
                float[] condition = Enumerable.Range(0, reference.ConditionSize).Select(_ => (float)Gaussian(random)).ToArray();
                model.GenerateFromEmbedding(embedding, condition, weights);
                for (int r = 0; r < regions.Count; r++)
                {
                    for (int p = regions[r].Start; p < regions[r].End; p++)
                    {
                        double deviation = weights[p] - offsets[p];
                        sums[r] += deviation * deviation;
                    }

                    counts[r] += regions[r].End - regions[r].Start;
                }
            }
        }

        Assert.Contains(regions, region => region.What.Contains("Conv2D", StringComparison.Ordinal));
        for (int r = 0; r < regions.Count; r++)
        {
            double actual = sums[r] / counts[r];
            double expected = scale[regions[r].Start] * scale[regions[r].Start];
            output.WriteLine($"{name} {init}, {regions[r].What}: variance around the offset {actual:G4}, target {expected:G4}, ratio {actual / expected:F2}");
            Assert.InRange(actual / expected, 0.5, 2.0);
        }
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>
    /// <see cref="HyperfanInit.Xavier"/>: the body layer and the head U(±√(6 / (inputs + units))) — every draw inside the
    /// bound, the variance bound²/3 within 10 % — biases 0, task embeddings N(0, 1), for a full and a chunked head.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Xavier_draws_every_layer_of_g_uniformly_with_zero_biases(bool chunked)
    {
        IHyperModel model = chunked ? new ChunkedSineHyper(maxTasks: 1, maxSamplesPerTask: 1) : new SineHyper(maxTasks: 1, maxSamplesPerTask: 1);
        var regions = chunked
            ? new[]
            {
                ("Dense0", ChunkedSineHyper.Layout.Dense0Weights, ChunkedSineHyper.Layout.Dense0WeightsLength, ChunkedSineHyper.Layout.Dense0Bias, ChunkedSineHyper.Layout.Dense0BiasLength, 16),
                ("Head", ChunkedSineHyper.Layout.HeadWeights, ChunkedSineHyper.Layout.HeadWeightsLength, ChunkedSineHyper.Layout.HeadBias, ChunkedSineHyper.Layout.HeadBiasLength, 32),
            }
            : new[]
            {
                ("Dense0", SineHyper.Layout.Dense0Weights, SineHyper.Layout.Dense0WeightsLength, SineHyper.Layout.Dense0Bias, SineHyper.Layout.Dense0BiasLength, 8),
                ("Head", SineHyper.Layout.HeadWeights, SineHyper.Layout.HeadWeightsLength, SineHyper.Layout.HeadBias, SineHyper.Layout.HeadBiasLength, 64),
            };
        foreach ((string layer, int weights, int weightsLength, int bias, int biasLength, int inputs) in regions)
        {
            int units = weightsLength / inputs;
            double bound = Math.Sqrt(6.0 / (inputs + units));
            double sum = 0;
            for (int seed = 1; seed <= 3; seed++)
            {
                model.Initialize(seed, HyperfanInit.Xavier);
                ReadOnlySpan<float> drawn = model.Parameters.Slice(weights, weightsLength);
                foreach (float value in drawn)
                {
                    Assert.InRange(Math.Abs(value), 0, bound);
                    sum += value * (double)value;
                }

                Assert.All(model.Parameters.Slice(bias, biasLength).ToArray(), value => Assert.Equal(0f, value));
            }

            double ratio = sum / (3.0 * weightsLength) / (bound * bound / 3);
            output.WriteLine($"{(chunked ? "chunked" : "full")} {layer} {inputs} -> {units}: variance / (bound²/3) = {ratio:F3}");
            Assert.InRange(ratio, 0.9, 1.1);
        }

        double embeddingMoment = 0;
        foreach (float value in model.TaskEmbeddings)
        {
            embeddingMoment += value * (double)value;
        }

        Assert.InRange(embeddingMoment / model.TaskEmbeddings.Length, 0.8, 1.2);
    }

    [Fact]
    public void An_initialisation_that_is_not_a_member_is_refused_and_theta_is_unchanged()
    {
        var model = new ChunkedSineHyper(maxTasks: 1, maxSamplesPerTask: 1);
        model.Initialize(4, HyperfanInit.Xavier);
        float[] before = model.Parameters.ToArray();
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => model.Initialize(5, (HyperfanInit)3));
        Assert.Equal("init", refused.ParamName);
        Assert.Contains("3 is not a member of HyperfanInit", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, model.Parameters.ToArray());
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
