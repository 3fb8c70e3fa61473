using System;
using System.IO;
using HyperDsl.Checkpoints;
using HyperDsl.Tests.Checkpoints;
using HyperDsl.Tests.Networks;
using Xunit;

namespace HyperDsl.Tests.Hyper;

/// <summary>
/// A head that emits W in PyTorch's order (GeneratedOrder = ParameterOrder.PyTorch): where each output lands in W,
/// written out from nn.Linear's [out, in] here. Gradients, two threads and checkpoint round trips of these
/// hypernetworks are checked with the rest of <see cref="HyperCatalog"/>.
/// </summary>
public sealed class GeneratedOrderTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "hyperdsl-order-" + Guid.NewGuid().ToString("N"));

    public GeneratedOrderTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>
    /// W as nn.Linear(2, 3) then nn.Linear(3, 2) would read it from a flat vector v: Dense0.weight[o, i] = v[o·2 + i],
    /// Dense0.bias[o] = v[6 + o], Dense1.weight[o, i] = v[9 + o·3 + i], Dense1.bias[o] = v[15 + o]; returned in
    /// TinyTarget's layout (weights input-major).
    /// </summary>
    private static float[] FromTorchOrder(Func<int, float> v)
    {
        float[] w = new float[TinyTarget.ParameterCount];
        for (int o = 0; o < 3; o++)
        {
            for (int i = 0; i < 2; i++)
            {
                w[TinyTarget.Layout.Dense0Weights + (i * 3) + o] = v((o * 2) + i);
            }

            w[TinyTarget.Layout.Dense0Bias + o] = v(6 + o);
        }

        for (int o = 0; o < 2; o++)
        {
            for (int i = 0; i < 3; i++)
            {
                w[TinyTarget.Layout.Dense1Weights + (i * 2) + o] = v(9 + (o * 3) + i);
            }

            w[TinyTarget.Layout.Dense1Bias + o] = v(15 + o);
        }

        return w;
    }

    [Fact]
    public void A_full_head_emits_each_weight_matrix_out_by_in()
    {
        var model = new TorchOrderFullHyper(maxTasks: 1, maxSamplesPerTask: 1);
        model.Initialize(1);
        // With the head's weights 0, its output is its bias: v[j] = j + 1.
        model.Parameters.Slice(TorchOrderFullHyper.Layout.HeadWeights, 4 * 17).Clear();
        Span<float> bias = model.Parameters.Slice(TorchOrderFullHyper.Layout.HeadBias, 17);
        for (int j = 0; j < 17; j++)
        {
            bias[j] = j + 1;
        }

        float[] weights = new float[TinyTarget.ParameterCount];
        model.Generate(2, weights);
        Assert.Equal(FromTorchOrder(j => j + 1), weights);
    }

    [Fact]
    public void Chunks_follow_pytorch_order_across_the_tensors()
    {
        var model = new TorchOrderChunkedHyper(maxTasks: 1, maxSamplesPerTask: 1);
        model.Initialize(1, HyperfanInit.Xavier);
        // Xavier leaves the chunk factors 1; with the head's weights 0 every chunk is its bias, so v[j] = bias[j mod 5].
        model.Parameters.Slice(TorchOrderChunkedHyper.Layout.HeadWeights, 4 * 5).Clear();
        Span<float> bias = model.Parameters.Slice(TorchOrderChunkedHyper.Layout.HeadBias, 5);
        for (int j = 0; j < 5; j++)
        {
            bias[j] = (j + 1) * 0.5f;
        }

        float[] weights = new float[TinyTarget.ParameterCount];
        model.Generate(1, [0.25f], weights);
        Assert.Equal(FromTorchOrder(j => ((j % 5) + 1) * 0.5f), weights);
    }

    [Fact]
    public void The_same_theta_in_either_order_generates_the_same_numbers_in_different_places()
    {
        var torch = new TorchOrderChunkedHyper(maxTasks: 1, maxSamplesPerTask: 1);
        var native = new NativeOrderChunkedHyper(maxTasks: 1, maxSamplesPerTask: 1);
        torch.Initialize(7);
        torch.Parameters.CopyTo(native.Parameters);
        float[] inTorchOrder = new float[TinyTarget.ParameterCount];
        float[] inOwnOrder = new float[TinyTarget.ParameterCount];
        torch.Generate(0, [1f], inTorchOrder);
        native.Generate(0, [1f], inOwnOrder);

        // The native head's j-th output sits at W[j]; PyTorch's order puts it where nn.Linear's j-th element goes.
        Assert.Equal(FromTorchOrder(j => inOwnOrder[j]), inTorchOrder);
        Assert.NotEqual(inOwnOrder, inTorchOrder);
    }

    [Fact]
    public void A_checkpoint_records_the_order_and_is_refused_by_a_model_in_the_other()
    {
        var torch = new TorchOrderChunkedHyper(maxTasks: 1, maxSamplesPerTask: 1);
        torch.Initialize(3);
        string torchPath = Path.Combine(folder, "torch.safetensors");
        Checkpoint.Save(torchPath, torch);
        SafetensorsBytes.Parse(File.ReadAllBytes(torchPath), out var metadata);
        Assert.Equal("pytorch", metadata["generated_order"]);

        var native = new NativeOrderChunkedHyper(maxTasks: 1, maxSamplesPerTask: 1);
        native.Initialize(4);
        float[] before = native.Parameters.ToArray();
        var refused = Assert.Throws<CheckpointException>(() => Checkpoint.Load(torchPath, native));
        Assert.Equal(CheckpointError.ArchitectureMismatch, refused.Error);
        Assert.Contains("its generated_order is 'pytorch', but the model's is '(none)'", refused.Message);
        Assert.Equal(before, native.Parameters.ToArray());

        string nativePath = Path.Combine(folder, "native.safetensors");
        Checkpoint.Save(nativePath, native);
        SafetensorsBytes.Parse(File.ReadAllBytes(nativePath), out var nativeMetadata);
        Assert.False(nativeMetadata.ContainsKey("generated_order"));
        refused = Assert.Throws<CheckpointException>(() => Checkpoint.Load(nativePath, torch));
        Assert.Contains("its generated_order is '(none)', but the model's is 'pytorch'", refused.Message);
    }
}
