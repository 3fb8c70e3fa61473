using System;
using HyperDsl.Kernels;
using Xunit;

namespace HyperDsl.Tests.Numerics;

/// <summary>
/// Max pooling over NHWC against the window's maximum written out here: 1 to 16 channels, windows of 2 and 3 over odd
/// and even sizes (the last column and row floored away), NaN anywhere in a window winning, one and several samples,
/// a band wider than the stack keeps, and nothing written past the output.
/// </summary>
[Trait("Category", "Numerics")]
public sealed class PoolKernelTests
{
    public static TheoryData<int, int, int, int, int> Shapes()
    {
        var shapes = new TheoryData<int, int, int, int, int>();
        foreach (int channels in new[] { 1, 2, 3, 5, 6, 8, 9, 16 })
        {
            shapes.Add(1, channels, 2, 6, 7);
            shapes.Add(3, channels, 2, 5, 24);
            shapes.Add(2, channels, 3, 7, 10);
        }

        // 1000 columns of 8 channels: a band of 8000 floats, past what the stack keeps.
        shapes.Add(2, 8, 2, 2, 1000);
        return shapes;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MaxPool_takes_each_window_maximum_with_NaN_winning(int batch, int channels, int size, int height, int width)
    {
        var geometry = new ConvolutionGeometry(height, width, channels, size, size, 0, 0, height / size, width / size);
        int inputSize = height * width * channels;
        int outputSize = geometry.OutputPixels * channels;
        var random = new Random((channels * 31) + width);
        float[] input = new float[batch * inputSize];
        for (int i = 0; i < input.Length; i++)
        {
            // Few distinct values, so that windows hold ties; negatives, so that 0 is not a floor.
            input[i] = random.Next(-4, 5) * 0.5f;
        }

        for (int i = 7; i < input.Length; i += 97)
        {
            input[i] = float.NaN;
        }

        // Guard values past the output: a whole vector's store must not reach them.
        float[] output = new float[(batch * outputSize) + 8];
        output.AsSpan(batch * outputSize).Fill(-99f);
        SpatialKernels.MaxPool(input, output, batch, geometry);

        for (int n = 0; n < batch; n++)
        {
            for (int oy = 0; oy < geometry.OutputHeight; oy++)
            {
                for (int ox = 0; ox < geometry.OutputWidth; ox++)
                {
                    for (int c = 0; c < channels; c++)
                    {
                        double expected = double.NegativeInfinity;
                        for (int ky = 0; ky < size; ky++)
                        {
                            for (int kx = 0; kx < size; kx++)
                            {
                                float value = input[(n * inputSize) + (((((oy * size) + ky) * width) + (ox * size) + kx) * channels) + c];
                                expected = double.IsNaN(expected) || float.IsNaN(value) ? double.NaN : Math.Max(expected, value);
                            }
                        }

                        float actual = output[(n * outputSize) + (((oy * geometry.OutputWidth) + ox) * channels) + c];
                        Assert.True(
                            double.IsNaN(expected) ? float.IsNaN(actual) : actual == expected,
                            $"[{n}, {oy}, {ox}, {c}] of {batch}×{height}×{width}×{channels}, window {size}: {actual}, expected {expected}");
                    }
                }
            }
        }

        Assert.All(output.AsSpan(batch * outputSize).ToArray(), guard => Assert.Equal(-99f, guard));
    }
}
