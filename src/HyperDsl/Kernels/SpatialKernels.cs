using System;
using System.ComponentModel;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HyperDsl.Kernels;

/// <summary>
/// The data movement of image-shaped layers, for the kernels the HyperDsl source generator emits: layout changes,
/// the gathering of convolution windows into rows (and its reverse for gradients), and pooling. Support for generated
/// code; not intended to be called directly.
/// </summary>
/// <remarks>
/// Inside a network, images are stored NHWC — per sample, row by row, pixel by pixel, the channels of a pixel together
/// — so that every operation here moves or combines runs of a pixel's channels, which <see cref="TensorPrimitives"/>
/// and <see cref="Vector{T}"/> process with the widest vectors the CPU accelerates. Networks take and give NCHW, as
/// PyTorch does, and convert at their edges. Shapes come from the generated code as constants; arguments are checked
/// there, once.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SpatialKernels
{
    /// <summary>NCHW → NHWC for <paramref name="batch"/> samples of <paramref name="channels"/> × <paramref name="pixels"/>.</summary>
    /// <param name="source">NCHW values.</param>
    /// <param name="destination">Receives NHWC values.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="channels">Channels.</param>
    /// <param name="pixels">Height × width.</param>
    public static void ChannelsLast(ReadOnlySpan<float> source, Span<float> destination, int batch, int channels, int pixels)
        => Transpose(source, destination, batch, channels, pixels);

    /// <summary>NHWC → NCHW for <paramref name="batch"/> samples of <paramref name="pixels"/> × <paramref name="channels"/>.</summary>
    /// <param name="source">NHWC values.</param>
    /// <param name="destination">Receives NCHW values.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="channels">Channels.</param>
    /// <param name="pixels">Height × width.</param>
    public static void ChannelsFirst(ReadOnlySpan<float> source, Span<float> destination, int batch, int channels, int pixels)
        => Transpose(source, destination, batch, pixels, channels);

    /// <summary>Transposes each sample's <c>[rows × columns]</c> matrix into <c>[columns × rows]</c>.</summary>
    private static void Transpose(ReadOnlySpan<float> source, Span<float> destination, int batch, int rows, int columns)
    {
        int size = rows * columns;
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> from = source.Slice(n * size, size);
            Span<float> to = destination.Slice(n * size, size);
            if (rows == 1 || columns == 1)
            {
                from.CopyTo(to);
                continue;
            }

            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<float> row = from.Slice(r * columns, columns);
                for (int c = 0; c < columns; c++)
                {
                    to[(c * rows) + r] = row[c];
                }
            }
        }
    }

    /// <summary>
    /// Gathers each output pixel's window of a convolution into one row: <c>columns[n, oy, ox, (ky·k + kx)·C + c]</c> =
    /// <c>input[n, oy·s + ky − padTop, ox·s + kx − padLeft, c]</c>, 0 outside the input. A convolution is then a dense
    /// product of these rows with the weights <c>[k·k·C × filters]</c>.
    /// </summary>
    /// <param name="input">NHWC input, <c>[batch × height × width × channels]</c>.</param>
    /// <param name="columns">Receives <c>[batch × outHeight × outWidth × k·k·channels]</c>.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="geometry">The convolution's shapes.</param>
    public static void WindowsToRows(ReadOnlySpan<float> input, Span<float> columns, int batch, in ConvolutionGeometry geometry)
    {
        int channels = geometry.Channels;
        int taps = geometry.Kernel * geometry.Kernel * channels;
        int inputSize = geometry.Height * geometry.Width * channels;
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> image = input.Slice(n * inputSize, inputSize);
            Span<float> rows = columns.Slice(n * geometry.OutputPixels * taps, geometry.OutputPixels * taps);
            for (int oy = 0; oy < geometry.OutputHeight; oy++)
            {
                for (int ox = 0; ox < geometry.OutputWidth; ox++)
                {
                    Span<float> row = rows.Slice(((oy * geometry.OutputWidth) + ox) * taps, taps);
                    for (int ky = 0; ky < geometry.Kernel; ky++)
                    {
                        int y = (oy * geometry.Stride) + ky - geometry.PadTop;
                        Span<float> tapRow = row.Slice(ky * geometry.Kernel * channels, geometry.Kernel * channels);
                        if ((uint)y >= (uint)geometry.Height)
                        {
                            tapRow.Clear();
                            continue;
                        }

                        int x0 = (ox * geometry.Stride) - geometry.PadLeft;
                        int first = Math.Max(0, -x0);
                        int last = Math.Min(geometry.Kernel, geometry.Width - x0);
                        tapRow[..(first * channels)].Clear();
                        if (last > first)
                        {
                            // The taps of one window row are consecutive pixels: one run of (last − first) × channels floats.
                            image.Slice(((y * geometry.Width) + x0 + first) * channels, (last - first) * channels).CopyTo(tapRow[(first * channels)..]);
                        }

                        tapRow[(Math.Max(last, first) * channels)..].Clear();
                    }
                }
            }
        }
    }

    /// <summary>
    /// The reverse of <see cref="WindowsToRows"/> for gradients: <c>inputGradient</c> = Σ over the windows that read each
    /// input pixel of their rows' gradients (written, not added to).
    /// </summary>
    /// <param name="columnGradients">∂L/∂rows, <c>[batch × outHeight × outWidth × k·k·channels]</c>.</param>
    /// <param name="inputGradient">Receives ∂L/∂input, NHWC.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="geometry">The convolution's shapes.</param>
    public static void RowsToWindows(ReadOnlySpan<float> columnGradients, Span<float> inputGradient, int batch, in ConvolutionGeometry geometry)
    {
        int channels = geometry.Channels;
        int taps = geometry.Kernel * geometry.Kernel * channels;
        int inputSize = geometry.Height * geometry.Width * channels;
        inputGradient[..(batch * inputSize)].Clear();
        for (int n = 0; n < batch; n++)
        {
            Span<float> image = inputGradient.Slice(n * inputSize, inputSize);
            ReadOnlySpan<float> rows = columnGradients.Slice(n * geometry.OutputPixels * taps, geometry.OutputPixels * taps);
            for (int oy = 0; oy < geometry.OutputHeight; oy++)
            {
                for (int ox = 0; ox < geometry.OutputWidth; ox++)
                {
                    ReadOnlySpan<float> row = rows.Slice(((oy * geometry.OutputWidth) + ox) * taps, taps);
                    for (int ky = 0; ky < geometry.Kernel; ky++)
                    {
                        int y = (oy * geometry.Stride) + ky - geometry.PadTop;
                        if ((uint)y >= (uint)geometry.Height)
                        {
                            continue;
                        }

                        int x0 = (ox * geometry.Stride) - geometry.PadLeft;
                        int first = Math.Max(0, -x0);
                        int last = Math.Min(geometry.Kernel, geometry.Width - x0);
                        if (last > first)
                        {
                            Span<float> target = image.Slice(((y * geometry.Width) + x0 + first) * channels, (last - first) * channels);
                            TensorPrimitives.Add(target, row.Slice(((ky * geometry.Kernel) + first) * channels, (last - first) * channels), target);
                        }
                    }
                }
            }
        }
    }

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
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> image = input.Slice(n * inputSize, inputSize);
            for (int oy = 0; oy < geometry.OutputHeight; oy++)
            {
                for (int ox = 0; ox < geometry.OutputWidth; ox++)
                {
                    Span<float> pixel = output.Slice((n * outputSize) + (((oy * geometry.OutputWidth) + ox) * channels), channels);
                    for (int ky = 0; ky < geometry.Kernel; ky++)
                    {
                        for (int kx = 0; kx < geometry.Kernel; kx++)
                        {
                            ReadOnlySpan<float> tap = Tap(image, geometry, oy, ox, ky, kx);
                            if (ky == 0 && kx == 0)
                            {
                                tap.CopyTo(pixel);
                            }
                            else
                            {
                                TensorPrimitives.Max(pixel, tap, pixel);
                            }
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
        float scale = 1f / (geometry.Kernel * geometry.Kernel);
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> image = input.Slice(n * inputSize, inputSize);
            for (int oy = 0; oy < geometry.OutputHeight; oy++)
            {
                for (int ox = 0; ox < geometry.OutputWidth; ox++)
                {
                    Span<float> pixel = output.Slice((n * outputSize) + (((oy * geometry.OutputWidth) + ox) * channels), channels);
                    pixel.Clear();
                    for (int ky = 0; ky < geometry.Kernel; ky++)
                    {
                        for (int kx = 0; kx < geometry.Kernel; kx++)
                        {
                            TensorPrimitives.Add(pixel, Tap(image, geometry, oy, ox, ky, kx), pixel);
                        }
                    }

                    TensorPrimitives.Multiply(pixel, scale, pixel);
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
        float scale = 1f / (geometry.Kernel * geometry.Kernel);
        inputGradient[..(batch * inputSize)].Clear();
        for (int n = 0; n < batch; n++)
        {
            Span<float> gradientImage = inputGradient.Slice(n * inputSize, inputSize);
            for (int oy = 0; oy < geometry.OutputHeight; oy++)
            {
                for (int ox = 0; ox < geometry.OutputWidth; ox++)
                {
                    ReadOnlySpan<float> gradient = outputGradient.Slice((n * outputSize) + (((oy * geometry.OutputWidth) + ox) * channels), channels);
                    for (int ky = 0; ky < geometry.Kernel; ky++)
                    {
                        for (int kx = 0; kx < geometry.Kernel; kx++)
                        {
                            TensorPrimitives.Multiply(gradient, scale, gradientImage.Slice(TapOffset(geometry, oy, ox, ky, kx), channels));
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

    /// <summary>The channels of one window tap (ky, kx) of the window at output pixel (oy, ox).</summary>
    private static ReadOnlySpan<float> Tap(ReadOnlySpan<float> image, in ConvolutionGeometry geometry, int oy, int ox, int ky, int kx)
        => image.Slice(TapOffset(geometry, oy, ox, ky, kx), geometry.Channels);

    private static int TapOffset(in ConvolutionGeometry geometry, int oy, int ox, int ky, int kx)
        => ((((oy * geometry.Stride) + ky) * geometry.Width) + (ox * geometry.Stride) + kx) * geometry.Channels;

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

/// <summary>
/// The shapes of a convolution or a pool, as the generated code passes them: the NHWC input (height, width, channels),
/// the square window and its step, the padding before the first row and column, and the output's size.
/// </summary>
/// <param name="Height">Input rows.</param>
/// <param name="Width">Input columns.</param>
/// <param name="Channels">Input channels.</param>
/// <param name="Kernel">The window's side.</param>
/// <param name="Stride">The step between windows.</param>
/// <param name="PadTop">Zero rows before the first input row.</param>
/// <param name="PadLeft">Zero columns before the first input column.</param>
/// <param name="OutputHeight">Output rows.</param>
/// <param name="OutputWidth">Output columns.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct ConvolutionGeometry(int Height, int Width, int Channels, int Kernel, int Stride, int PadTop, int PadLeft, int OutputHeight, int OutputWidth)
{
    /// <summary>Output rows × columns.</summary>
    public int OutputPixels => OutputHeight * OutputWidth;
}
