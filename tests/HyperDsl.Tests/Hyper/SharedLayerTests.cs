using System;
using System.IO;
using System.Linq;
using HyperDsl.Checkpoints;
using HyperDsl.Tests.Checkpoints;
using HyperDsl.Tests.Networks;
using Xunit;

namespace HyperDsl.Tests.Hyper;

/// <summary>
/// Shared target layers: θ holds them after the chunk embeddings, every task's W has them, their initialisation is
/// PyTorch's, their checkpoint tensors sit under <c>shared.</c> beside the decoder's own layers of the same name, and
/// the Summary says what is generated and what is shared. (Their gradients, on one and two threads, are checked with
/// the rest of θ against finite differences in <see cref="HyperNetworkGradientTests"/>.)
/// </summary>
public sealed class SharedLayerTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("hyperdsl-shared-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Theta_ends_with_the_shared_layers_and_the_head_generates_only_the_others()
    {
        // MixedSharingNet: Conv0 20 (shared), LayerNorm1 64, AvgPool2 0, Dense3 27 (shared), Dense4 8.
        Assert.Equal(119, MixedSharingNet.ParameterCount);
        Assert.Equal(119, SharedFullHyper.TargetParameterCount);
        Assert.Equal(6 + ((2 * 4) + 4) + ((4 * 72) + 72), SharedFullHyper.Layout.SharedParameters);
        Assert.Equal(47, SharedFullHyper.Layout.SharedParametersLength);
        Assert.Equal(SharedFullHyper.ParameterCount, SharedFullHyper.Layout.SharedParameters + SharedFullHyper.Layout.SharedParametersLength);
        Assert.Equal(11, SharedChunkedHyper.ChunkCount);
        Assert.Equal(SharedChunkedHyper.Layout.ChunkEmbeddings + SharedChunkedHyper.Layout.ChunkEmbeddingsLength, SharedChunkedHyper.Layout.SharedParameters);
    }

    [Fact]
    public void Every_task_gets_the_shared_parameters_of_theta_and_its_own_generated_ones()
    {
        var model = new SharedFullHyper(maxTasks: 2, maxSamplesPerTask: 1);
        model.Initialize(4);
        float[] first = new float[SharedFullHyper.TargetParameterCount];
        float[] second = new float[SharedFullHyper.TargetParameterCount];
        model.Generate(0, first);
        model.Generate(1, second);
        float[] shared = model.Parameters.Slice(SharedFullHyper.Layout.SharedParameters, SharedFullHyper.Layout.SharedParametersLength).ToArray();

        // W = [Conv0 (shared) | LayerNorm1 | Dense3 (shared) | Dense4].
        Assert.Equal(shared[..20], first[..20]);
        Assert.Equal(shared[20..], first[84..111]);
        Assert.Equal(first[..20], second[..20]);
        Assert.Equal(first[84..111], second[84..111]);
        Assert.NotEqual(first[20..84], second[20..84]);
        Assert.NotEqual(first[111..], second[111..]);
    }

    [Fact]
    public void Shared_layers_start_as_PyTorch_starts_the_module()
    {
        var model = new SharedChunkedHyper(maxTasks: 1, maxSamplesPerTask: 1);
        model.Initialize(9);
        float[] shared = model.Parameters.Slice(SharedChunkedHyper.Layout.SharedParameters, SharedChunkedHyper.Layout.SharedParametersLength).ToArray();

        // nn.Conv2d(1, 2, 3): weight and bias uniform in ±1/√(1·3·3); nn.Linear(8, 3): ±1/√8.
        AssertUniform(shared[..20], 1 / Math.Sqrt(9), "Conv0");
        AssertUniform(shared[20..], 1 / Math.Sqrt(8), "Dense3");

        var again = new SharedChunkedHyper(maxTasks: 3, maxSamplesPerTask: 2);
        again.Initialize(9);
        Assert.Equal(model.Parameters.ToArray(), again.Parameters.ToArray());
    }

    [Fact]
    public void A_checkpoint_holds_shared_layers_under_their_own_prefix_in_PyTorch_shapes()
    {
        var model = new SharedFullHyper(maxTasks: 1, maxSamplesPerTask: 1);
        model.Initialize(3);
        string path = Path.Combine(folder, "shared.safetensors");
        Checkpoint.Save(path, model);

        var tensors = SafetensorsBytes.Parse(File.ReadAllBytes(path), out var metadata);

        // The decoder's first layer and the target's fourth are both "Dense…"; shared tensors cannot collide with g's.
        Assert.Equal(new long[] { 4, 2 }, tensors["Dense0.weight"].Shape);
        Assert.Equal(new long[] { 2, 1, 3, 3 }, tensors["shared.Conv0.weight"].Shape);
        Assert.Equal(new long[] { 2 }, tensors["shared.Conv0.bias"].Shape);
        Assert.Equal(new long[] { 3, 8 }, tensors["shared.Dense3.weight"].Shape);
        Assert.DoesNotContain(tensors.Keys, key => key.Contains("LayerNorm1", StringComparison.Ordinal));
        Assert.Contains("Conv2D 3x3/1+0,0 shared", metadata["target"], StringComparison.Ordinal);

        // shared.Dense3.weight[o, i] in PyTorch's order is the generated layout's row i (HWC feature order), column o.
        int dense3 = SharedFullHyper.Layout.SharedParameters + 20;
        float[] theta = model.Parameters.ToArray();
        for (int o = 0; o < 3; o++)
        {
            for (int i = 0; i < 8; i++)
            {
                int stored = ((i % 4) * 2) + (i / 4); // feature (c, h, w) of a 2×2×2 image, kept at (h·2 + w)·2 + c
                Assert.Equal(theta[dense3 + (stored * 3) + o], tensors["shared.Dense3.weight"].Values[(o * 8) + i]);
            }
        }

        var restored = new SharedFullHyper(maxTasks: 1, maxSamplesPerTask: 1);
        restored.Initialize(8);
        Checkpoint.Load(path, restored);
        Assert.Equal(theta, restored.Parameters.ToArray());
    }

    [Fact]
    public void The_summary_says_what_is_generated_and_what_is_shared()
    {
        string summary = SharedFullHyper.Summary;
        Assert.True(summary.Contains("generates 72 of the 119 parameters of HyperDsl.Tests.Networks.MixedSharingNet (36 -> 2)\n", StringComparison.Ordinal), summary);
        Assert.True(summary.Contains("Generated: LayerNorm1, Dense4; shared, learned in θ: Conv0, Dense3\n", StringComparison.Ordinal), summary);
        Assert.Matches(@"shared Conv0 +\S.*20 +\[", summary);
        Assert.Matches(@"shared Dense3 +\S.*27 +\[", summary);
    }

    private static void AssertUniform(float[] values, double bound, string what)
    {
        Assert.All(values, value => Assert.InRange(value, -bound, bound));
        double variance = values.Average(v => (double)v * v);
        Assert.True(values.Max() - values.Min() > bound, $"{what}: the values span {values.Min()}..{values.Max()}, less than the bound {bound}");
        Assert.InRange(variance, bound * bound / 3 * 0.4, bound * bound / 3 * 1.8);
    }
}
