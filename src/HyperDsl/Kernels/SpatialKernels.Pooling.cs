using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HyperDsl.Kernels;

/// <summary>Pooling: max, average and global average, forward and backward.</summary>
public static partial class SpatialKernels
{
    /// <summary>
    /// The maximum of each window, per channel: <c>output[n, oy, ox, c]</c> = max over the window of size × size at
    /// (oy·size, ox·size).
    /// </summary>
    /// <param name="input">NHWC input.</param>
    /// <param name="output">Receives NHWC output.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="geometry">The pool's shapes (kernel = stride = size, no padding).</param>
    public static void MaxPool(ReadOnlySpan<float> input, Span<float> output, int batch, in ConvolutionGeometry geometry)
    {
        int channels = geometry.Channels;
        int inputSize = geometry.Height * geometry.Width * channels;
        int outputSize = geometry.OutputPixels * channels;
        CheckLengths(input.Length, output.Length, batch * inputSize, batch * outputSize);
        ref float source = ref MemoryMarshal.GetReference(input);
        ref float pixel = ref MemoryMarshal.GetReference(output);
        int bandLength = geometry.OutputWidth * geometry.Kernel * channels;
        if (Vector256.IsHardwareAccelerated && channels <= 8 && geometry.Stride == geometry.Kernel && geometry.PadTop == 0 && geometry.PadLeft == 0 && bandLength <= MaxBand)
        {
            MaxPoolFewChannels(ref source, ref pixel, batch, geometry, bandLength);
            return;
        }

        for (int n = 0; n < batch; n++)
        {
            ref float image = ref Unsafe.Add(ref source, n * inputSize);
            for (int oy = 0; oy < geometry.OutputHeight; oy++)
            {
                for (int ox = 0; ox < geometry.OutputWidth; ox++, pixel = ref Unsafe.Add(ref pixel, channels))
                {
                    Copy(ref Unsafe.Add(ref image, TapOffset(geometry, oy, ox, 0, 0)), ref pixel, channels);
                    for (int ky = 0; ky < geometry.Kernel; ky++)
                    {
                        for (int kx = ky == 0 ? 1 : 0; kx < geometry.Kernel; kx++)
                        {
                            Max(ref pixel, ref Unsafe.Add(ref image, TapOffset(geometry, oy, ox, ky, kx)), channels);
                        }
                    }
                }
            }
        }
    }

    /// <summary>The longest band of window rows (output width × size × channels) <see cref="MaxPoolFewChannels"/> keeps on the stack.</summary>
    private const int MaxBand = 4096;

    /// <summary>
    /// <see cref="MaxPool"/> for at most 8 channels, an output row at a time: the maximum over the window's rows first,
    /// whole rows at once, into a band on the stack; then over each window's columns with one vector per output pixel,
    /// whose lanes past the channels the next pixel's store overwrites. Only the very last pixel is stored lane by lane.
    /// </summary>
    private static void MaxPoolFewChannels(ref float source, ref float destination, int batch, in ConvolutionGeometry geometry, int bandLength)
    {
        int channels = geometry.Channels, size = geometry.Kernel, width = geometry.Width;
        int inputSize = geometry.Height * width * channels;
        int outputs = batch * geometry.OutputPixels * channels;
        Span<float> bandSpan = stackalloc float[bandLength + 8];
        ref float band = ref MemoryMarshal.GetReference(bandSpan);
        int at = 0;
        for (int n = 0; n < batch; n++)
        {
            ref float image = ref Unsafe.Add(ref source, n * inputSize);
            for (int oy = 0; oy < geometry.OutputHeight; oy++)
            {
                ref float top = ref Unsafe.Add(ref image, oy * size * width * channels);
                Copy(ref top, ref band, bandLength);
                for (int ky = 1; ky < size; ky++)
                {
                    Max(ref band, ref Unsafe.Add(ref top, ky * width * channels), bandLength);
                }

                for (int ox = 0; ox < geometry.OutputWidth; ox++, at += channels)
                {
                    ref float window = ref Unsafe.Add(ref band, ox * size * channels);
                    Vector256<float> maximum = Vector256.LoadUnsafe(ref window);
                    for (int kx = 1; kx < size; kx++)
                    {
                        maximum = MaxOrNaN(maximum, Vector256.LoadUnsafe(ref window, (nuint)(kx * channels)));
                    }

                    if (at + 8 <= outputs)
                    {
                        maximum.StoreUnsafe(ref destination, (nuint)at);
                    }
                    else
                    {
                        for (int c = 0; c < channels; c++)
                        {
                            Unsafe.Add(ref destination, at + c) = maximum.GetElement(c);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// The gradient of <see cref="MaxPool"/>: each window's output gradient goes to its first maximum in row-major
    /// order (the other input pixels get 0); <paramref name="inputGradient"/> is written.
    /// </summary>
    /// <param name="input">The NHWC input of the forward pass.</param>
    /// <param name="output">Its NHWC output.</param>
    /// <param name="outputGradient">∂L/∂output, NHWC.</param>
    /// <param name="inputGradient">Receives ∂L/∂input, NHWC.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="geometry">The pool's shapes.</param>
    public static void MaxPoolBackward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch, in ConvolutionGeometry geometry)
    {
        int channels = geometry.Channels;
        int inputSize = geometry.Height * geometry.Width * channels;
        int outputSize = geometry.OutputPixels * channels;
        inputGradient[..(batch * inputSize)].Clear();
        Span<int> taken = channels <= 1024 ? stackalloc int[channels] : new int[channels];
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> image = input.Slice(n * inputSize, inputSize);
            Span<float> gradientImage = inputGradient.Slice(n * inputSize, inputSize);
            for (int oy = 0; oy < geometry.OutputHeight; oy++)
            {
                for (int ox = 0; ox < geometry.OutputWidth; ox++)
                {
                    int at = (n * outputSize) + (((oy * geometry.OutputWidth) + ox) * channels);
                    ReadOnlySpan<float> maximum = output.Slice(at, channels);
                    ReadOnlySpan<float> gradient = outputGradient.Slice(at, channels);
                    taken.Clear();
                    for (int ky = 0; ky < geometry.Kernel; ky++)
                    {
                        for (int kx = 0; kx < geometry.Kernel; kx++)
                        {
                            int offset = TapOffset(geometry, oy, ox, ky, kx);
                            RouteToFirstMaximum(image.Slice(offset, channels), maximum, gradient, gradientImage.Slice(offset, channels), taken);
                        }
                    }
                }
            }
        }
    }

    /// <summary>The mean of each window, per channel.</summary>
    /// <param name="input">NHWC input.</param>
    /// <param name="output">Receives NHWC output.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="geometry">The pool's shapes (kernel = stride = size, no padding).</param>
    public static void AvgPool(ReadOnlySpan<float> input, Span<float> output, int batch, in ConvolutionGeometry geometry)
    {
        int channels = geometry.Channels;
        int inputSize = geometry.Height * geometry.Width * channels;
        int outputSize = geometry.OutputPixels * channels;
        CheckLengths(input.Length, output.Length, batch * inputSize, batch * outputSize);
        float scale = 1f / (geometry.Kernel * geometry.Kernel);
        ref float source = ref MemoryMarshal.GetReference(input);
        ref float pixel = ref MemoryMarshal.GetReference(output);
        for (int n = 0; n < batch; n++)
        {
            ref float image = ref Unsafe.Add(ref source, n * inputSize);
            for (int oy = 0; oy < geometry.OutputHeight; oy++)
            {
                for (int ox = 0; ox < geometry.OutputWidth; ox++, pixel = ref Unsafe.Add(ref pixel, channels))
                {
                    Clear(ref pixel, channels);
                    for (int ky = 0; ky < geometry.Kernel; ky++)
                    {
                        for (int kx = 0; kx < geometry.Kernel; kx++)
                        {
                            Add(ref pixel, ref Unsafe.Add(ref image, TapOffset(geometry, oy, ox, ky, kx)), channels);
                        }
                    }

                    Scale(ref pixel, ref pixel, scale, channels);
                }
            }
        }
    }

    /// <summary>The gradient of <see cref="AvgPool"/>: each window's output gradient / size², to each of its pixels (written; pixels in no window get 0).</summary>
    /// <param name="outputGradient">∂L/∂output, NHWC.</param>
    /// <param name="inputGradient">Receives ∂L/∂input, NHWC.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="geometry">The pool's shapes.</param>
    public static void AvgPoolBackward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch, in ConvolutionGeometry geometry)
    {
        int channels = geometry.Channels;
        int inputSize = geometry.Height * geometry.Width * channels;
        int outputSize = geometry.OutputPixels * channels;
        CheckLengths(outputGradient.Length, inputGradient.Length, batch * outputSize, batch * inputSize);
        float scale = 1f / (geometry.Kernel * geometry.Kernel);
        inputGradient[..(batch * inputSize)].Clear();
        ref float gradient = ref MemoryMarshal.GetReference(outputGradient);
        ref float destination = ref MemoryMarshal.GetReference(inputGradient);
        for (int n = 0; n < batch; n++)
        {
            ref float gradientImage = ref Unsafe.Add(ref destination, n * inputSize);
            for (int oy = 0; oy < geometry.OutputHeight; oy++)
            {
                for (int ox = 0; ox < geometry.OutputWidth; ox++, gradient = ref Unsafe.Add(ref gradient, channels))
                {
                    for (int ky = 0; ky < geometry.Kernel; ky++)
                    {
                        for (int kx = 0; kx < geometry.Kernel; kx++)
                        {
                            Scale(ref gradient, ref Unsafe.Add(ref gradientImage, TapOffset(geometry, oy, ox, ky, kx)), scale, channels);
                        }
                    }
                }
            }
        }
    }

    /// <summary>The mean of each channel over all <paramref name="pixels"/> of an NHWC image: <c>[batch × channels]</c>.</summary>
    /// <param name="input">NHWC input.</param>
    /// <param name="output">Receives <c>[batch × channels]</c>.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="channels">Channels.</param>
    /// <param name="pixels">Height × width.</param>
    public static void GlobalAvgPool(ReadOnlySpan<float> input, Span<float> output, int batch, int channels, int pixels)
    {
        for (int n = 0; n < batch; n++)
        {
            Span<float> mean = output.Slice(n * channels, channels);
            ReadOnlySpan<float> image = input.Slice(n * channels * pixels, channels * pixels);
            image[..channels].CopyTo(mean);
            for (int p = 1; p < pixels; p++)
            {
                TensorPrimitives.Add(mean, image.Slice(p * channels, channels), mean);
            }

            TensorPrimitives.Multiply(mean, 1f / pixels, mean);
        }
    }

    /// <summary>The gradient of <see cref="GlobalAvgPool"/>: each channel's gradient / pixels, to every pixel (written).</summary>
    /// <param name="outputGradient">∂L/∂output, <c>[batch × channels]</c>.</param>
    /// <param name="inputGradient">Receives ∂L/∂input, NHWC.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="channels">Channels.</param>
    /// <param name="pixels">Height × width.</param>
    public static void GlobalAvgPoolBackward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch, int channels, int pixels)
    {
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> gradient = outputGradient.Slice(n * channels, channels);
            Span<float> image = inputGradient.Slice(n * channels * pixels, channels * pixels);
            for (int p = 0; p < pixels; p++)
            {
                TensorPrimitives.Multiply(gradient, 1f / pixels, image.Slice(p * channels, channels));
            }
        }
    }

    /// <summary>
    /// For one tap of a window: where the input equals the window's maximum and no earlier tap has taken the channel,
    /// the gradient goes here, and the channel is taken.
    /// </summary>
    private static void RouteToFirstMaximum(ReadOnlySpan<float> values, ReadOnlySpan<float> maximum, ReadOnlySpan<float> gradient, Span<float> destination, Span<int> taken)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int count = Vector<float>.Count;
            ref float v = ref MemoryMarshal.GetReference(values);
            ref float m = ref MemoryMarshal.GetReference(maximum);
            ref float g = ref MemoryMarshal.GetReference(gradient);
            ref float d = ref MemoryMarshal.GetReference(destination);
            ref int t = ref MemoryMarshal.GetReference(taken);
            for (; i <= values.Length - count; i += count)
            {
                Vector<int> already = Unsafe.ReadUnaligned<Vector<int>>(ref Unsafe.As<int, byte>(ref Unsafe.Add(ref t, i)));
                Vector<int> equal = Vector.Equals(Load(ref v, i), Load(ref m, i));
                Vector<int> first = Vector.AndNot(equal, already);
                Vector<float> routed = Vector.ConditionalSelect(first, Load(ref g, i), Vector<float>.Zero);
                Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref d, i)), routed);
                Unsafe.WriteUnaligned(ref Unsafe.As<int, byte>(ref Unsafe.Add(ref t, i)), already | equal);
            }
        }

        for (; i < values.Length; i++)
        {
            if (taken[i] == 0 && values[i] == maximum[i])
            {
                destination[i] = gradient[i];
                taken[i] = -1;
            }
        }
    }

    private static Vector<float> Load(ref float start, int at)
        => Unsafe.ReadUnaligned<Vector<float>>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref start, at)));
}