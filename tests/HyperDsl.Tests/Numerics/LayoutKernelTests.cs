using System;
using HyperDsl.Kernels;
using Xunit;

namespace HyperDsl.Tests.Numerics;

/// <summary>
/// The NCHW ↔ NHWC conversions against index arithmetic written out here, for 1 to 16 channels and pixel counts with
/// every tail of a 4- or 8-wide run, guarded against writes past the end.
/// </summary>
[Trait("Category", "Numerics")]
public sealed class LayoutKernelTests
{
    public static TheoryData<int, int, int> Shapes()
    {
        var shapes = new TheoryData<int, int, int>();
        foreach (int channels in new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 16 })
        {
            foreach (int pixels in new[] { 1, 2, 3, 4, 5, 7, 9, 24, 25 })
            {
                shapes.Add(channels % 2 == 0 ? 3 : 1, channels, pixels);
            }
        }

        return shapes;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ChannelsLast_and_ChannelsFirst_move_every_value_to_its_place_and_nothing_else(int batch, int channels, int pixels)
    {
        int size = batch * channels * pixels;
        float[] nchw = new float[size];
        for (int i = 0; i < size; i++)
        {
            nchw[i] = i + 1;
        }

        // One guard value past the end: nothing is written beyond batch × channels × pixels.
        float[] nhwc = new float[size + 1];
        nhwc[size] = -7f;
        SpatialKernels.ChannelsLast(nchw, nhwc, batch, channels, pixels);
        for (int n = 0; n < batch; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int p = 0; p < pixels; p++)
                {
                    float expected = nchw[(((n * channels) + c) * pixels) + p];
                    Assert.True(expected == nhwc[(((n * pixels) + p) * channels) + c], $"NHWC [{n}, {p}, {c}] of {batch}×{channels}×{pixels}");
                }
            }
        }

        Assert.Equal(-7f, nhwc[size]);

        float[] back = new float[size + 1];
        back[size] = -7f;
        SpatialKernels.ChannelsFirst(nhwc, back, batch, channels, pixels);
        Assert.Equal(nchw, back.AsSpan(0, size).ToArray());
        Assert.Equal(-7f, back[size]);
    }
}
