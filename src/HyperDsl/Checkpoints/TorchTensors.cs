using System;
using System.Collections.Generic;

namespace HyperDsl.Checkpoints;

/// <summary>
/// One parameter tensor of a layer as PyTorch holds it — <c>Dense0.weight</c> <c>[out, in]</c>,
/// <c>Conv1.weight</c> <c>[filters, channels, k, k]</c>, a LayerNorm's <c>weight</c> <c>[C, H, W]</c> — and where each
/// of its elements, in PyTorch's row-major order, lives in the network's flat parameter vector.
/// </summary>
/// <param name="Suffix"><c>weight</c> or <c>bias</c>.</param>
/// <param name="Offset">Where the tensor's values start in the parameter vector.</param>
/// <param name="Shape">Its shape in PyTorch.</param>
/// <param name="Place">Element <c>k</c> of the tensor in PyTorch's order lives at <c>Offset + Place(k)</c>; null when in order.</param>
internal readonly record struct TorchTensor(string Suffix, int Offset, long[] Shape, Func<int, int>? Place)
{
    /// <summary>Its number of elements.</summary>
    public int Length => TensorBinding.ElementCount(Shape);
}

/// <summary>
/// The one place that maps a layer's parameters between the generated layout and PyTorch's: checkpoints and the ONNX
/// export read it, so that they cannot disagree.
/// </summary>
/// <remarks>
/// Inside a network a Dense layer's weights are input-major; a convolution's are <c>[taps × filters]</c> with taps in the
/// order (ky, kx, c); images are NHWC, so a Dense layer after an image reads its features, and a LayerNorm over an image
/// keeps γ and β, in (h, w, c) order. PyTorch's are <c>nn.Linear.weight</c> <c>[out, in]</c> with in in (c, h, w) order,
/// <c>nn.Conv2d.weight</c> <c>[out, in, kh, kw]</c>, and <c>nn.LayerNorm.weight</c> <c>[C, H, W]</c>.
/// </remarks>
internal static class TorchTensors
{
    /// <summary>The tensors of <paramref name="layer"/>, weight then bias; none for a layer without parameters.</summary>
    public static IEnumerable<TorchTensor> Of(LayerDescription layer)
    {
        switch (layer.Kind)
        {
            case LayerKind.Dense:
            {
                int inputs = layer.Inputs;
                int units = layer.Units;
                Shape input = layer.InputShape;
                yield return new TorchTensor("weight", layer.WeightsOffset, [units, inputs], k => (StoredFeature(input, k % inputs) * units) + (k / inputs));
                yield return new TorchTensor("bias", layer.BiasOffset, [units], null);
                break;
            }

            case LayerKind.Conv2D:
            {
                int channels = layer.InputShape.Channels;
                int filters = layer.OutputShape.Channels;
                int kernel = layer.Kernel;
                yield return new TorchTensor("weight", layer.WeightsOffset, [filters, channels, kernel, kernel], k =>
                {
                    int kx = k % kernel;
                    int ky = (k / kernel) % kernel;
                    int c = (k / (kernel * kernel)) % channels;
                    int f = k / (kernel * kernel * channels);
                    return (((((ky * kernel) + kx) * channels) + c) * filters) + f;
                });
                yield return new TorchTensor("bias", layer.BiasOffset, [filters], null);
                break;
            }

            case LayerKind.SetAttention or LayerKind.SelfAttention:
            {
                // nn.TransformerEncoderLayer's names; its Linear weights are [out, in], ours input-major.
                Kernels.AttentionShape shape = layer.Attention;
                int d = shape.Features;
                int f = shape.FeedForward;
                int start = layer.WeightsOffset;
                yield return new TorchTensor("norm1.weight", start + shape.Norm1Scale, [d], null);
                yield return new TorchTensor("norm1.bias", start + shape.Norm1Shift, [d], null);
                yield return new TorchTensor("self_attn.in_proj_weight", start + shape.InProjectionWeights, [3 * d, d], Transposed(d, 3 * d));
                yield return new TorchTensor("self_attn.in_proj_bias", start + shape.InProjectionBias, [3 * d], null);
                yield return new TorchTensor("self_attn.out_proj.weight", start + shape.OutProjectionWeights, [d, d], Transposed(d, d));
                yield return new TorchTensor("self_attn.out_proj.bias", start + shape.OutProjectionBias, [d], null);
                yield return new TorchTensor("norm2.weight", start + shape.Norm2Scale, [d], null);
                yield return new TorchTensor("norm2.bias", start + shape.Norm2Shift, [d], null);
                yield return new TorchTensor("linear1.weight", start + shape.Linear1Weights, [f, d], Transposed(d, f));
                yield return new TorchTensor("linear1.bias", start + shape.Linear1Bias, [f], null);
                yield return new TorchTensor("linear2.weight", start + shape.Linear2Weights, [d, f], Transposed(f, d));
                yield return new TorchTensor("linear2.bias", start + shape.Linear2Bias, [d], null);
                break;
            }

            case LayerKind.LayerNorm:
            {
                Shape shape = layer.InputShape;
                long[] dimensions = shape.IsImage ? [shape.Channels, shape.Height, shape.Width] : [shape.Channels];
                Func<int, int>? place = shape.IsImage ? k => StoredFeature(shape, k) : null;
                yield return new TorchTensor("weight", layer.WeightsOffset, dimensions, place);
                yield return new TorchTensor("bias", layer.BiasOffset, dimensions, place);
                break;
            }
        }
    }

    /// <summary>Element k of an <c>[out × in]</c> matrix in PyTorch's order, kept input-major as <c>[in × out]</c>.</summary>
    private static Func<int, int> Transposed(int inputs, int outputs) => k => ((k % inputs) * outputs) + (k / inputs);

    /// <summary>Where feature <paramref name="feature"/> of <paramref name="shape"/>, in (c, h, w) order, is kept: (h, w, c) order for an image.</summary>
    public static int StoredFeature(Shape shape, int feature)
    {
        if (!shape.IsImage)
        {
            return feature;
        }

        int pixels = shape.Height * shape.Width;
        return ((feature % pixels) * shape.Channels) + (feature / pixels);
    }
}
