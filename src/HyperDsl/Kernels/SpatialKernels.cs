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
public static partial class SpatialKernels
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

    /// <summary>
    /// Adds to each channel's entry of <paramref name="sums"/> the sum of that channel's values over every pixel of
    /// <paramref name="batch"/> NCHW samples: a convolution's bias gradients from its output gradients.
    /// </summary>
    /// <param name="values">NCHW values.</param>
    /// <param name="sums">One entry per channel, added to.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="channels">Channels.</param>
    /// <param name="pixels">Height × width.</param>
    public static void AddChannelSums(ReadOnlySpan<float> values, Span<float> sums, int batch, int channels, int pixels)
    {
        CheckLengths(values.Length, sums.Length, (long)batch * channels * pixels, channels);
        for (int n = 0; n < batch; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                sums[c] += TensorPrimitives.Sum(values.Slice(((n * channels) + c) * pixels, pixels));
            }
        }
    }

    /// <summary>Transposes each sample's <c>[rows × columns]</c> matrix into <c>[columns × rows]</c>.</summary>
    private static void Transpose(ReadOnlySpan<float> source, Span<float> destination, int batch, int rows, int columns)
    {
        int size = rows * columns;
        CheckLengths(source.Length, destination.Length, batch * size, batch * size);
        if (rows == 1 || columns == 1)
        {
            source[..(batch * size)].CopyTo(destination);
            return;
        }

        ref float from = ref MemoryMarshal.GetReference(source);
        ref float to = ref MemoryMarshal.GetReference(destination);
        for (int n = 0; n < batch; n++)
        {
            ref float sample = ref Unsafe.Add(ref from, n * size);
            ref float transposed = ref Unsafe.Add(ref to, n * size);
            for (int r = 0; r < rows; r++)
            {
                ref float row = ref Unsafe.Add(ref sample, r * columns);
                for (int c = 0; c < columns; c++)
                {
                    Unsafe.Add(ref transposed, (c * rows) + r) = Unsafe.Add(ref row, c);
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
        int channels = geometry.Channels, kernel = geometry.Kernel, stride = geometry.Stride;
        int height = geometry.Height, width = geometry.Width, outputWidth = geometry.OutputWidth;
        int taps = kernel * kernel * channels;
        int run = kernel * channels;
        int inputSize = height * width * channels;
        int rowsPerSample = geometry.OutputPixels * taps;
        CheckLengths(input.Length, columns.Length, batch * inputSize, batch * rowsPerSample);

        // Small runs (a window row is often 5 to 50 floats) are moved with inline vector code rather than library
        // calls, whose fixed cost would be most of the work here.
        ref float source = ref MemoryMarshal.GetReference(input);
        ref float destination = ref MemoryMarshal.GetReference(columns);
        for (int n = 0; n < batch; n++)
        {
            ref float image = ref Unsafe.Add(ref source, n * inputSize);
            ref float row = ref Unsafe.Add(ref destination, n * rowsPerSample);
            for (int oy = 0; oy < geometry.OutputHeight; oy++)
            {
                for (int ox = 0; ox < outputWidth; ox++, row = ref Unsafe.Add(ref row, taps))
                {
                    int x0 = (ox * stride) - geometry.PadLeft;
                    int first = Math.Max(0, -x0);
                    int last = Math.Min(kernel, width - x0);
                    for (int ky = 0; ky < kernel; ky++)
                    {
                        int y = (oy * stride) + ky - geometry.PadTop;
                        ref float tapRow = ref Unsafe.Add(ref row, ky * run);
                        if (first == 0 && last == kernel && (uint)y < (uint)height)
                        {
                            // Inside the image (every window of a valid convolution): the whole window row at once.
                            Copy(ref Unsafe.Add(ref image, ((y * width) + x0) * channels), ref tapRow, run);
                            continue;
                        }

                        if ((uint)y >= (uint)height || last <= first)
                        {
                            Clear(ref tapRow, run);
                            continue;
                        }

                        // The taps of one window row are consecutive pixels: one run of (last − first) × channels floats.
                        Clear(ref tapRow, first * channels);
                        Copy(ref Unsafe.Add(ref image, ((y * width) + x0 + first) * channels), ref Unsafe.Add(ref tapRow, first * channels), (last - first) * channels);
                        Clear(ref Unsafe.Add(ref tapRow, last * channels), (kernel - last) * channels);
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
        int channels = geometry.Channels, kernel = geometry.Kernel, stride = geometry.Stride;
        int height = geometry.Height, width = geometry.Width, outputWidth = geometry.OutputWidth;
        int taps = kernel * kernel * channels;
        int run = kernel * channels;
        int inputSize = height * width * channels;
        int rowsPerSample = geometry.OutputPixels * taps;
        CheckLengths(columnGradients.Length, inputGradient.Length, batch * rowsPerSample, batch * inputSize);
        inputGradient[..(batch * inputSize)].Clear();
        ref float source = ref MemoryMarshal.GetReference(columnGradients);
        ref float destination = ref MemoryMarshal.GetReference(inputGradient);
        for (int n = 0; n < batch; n++)
        {
            ref float image = ref Unsafe.Add(ref destination, n * inputSize);
            ref float row = ref Unsafe.Add(ref source, n * rowsPerSample);
            for (int oy = 0; oy < geometry.OutputHeight; oy++)
            {
                for (int ox = 0; ox < outputWidth; ox++, row = ref Unsafe.Add(ref row, taps))
                {
                    int x0 = (ox * stride) - geometry.PadLeft;
                    int first = Math.Max(0, -x0);
                    int last = Math.Min(kernel, width - x0);
                    for (int ky = 0; ky < kernel; ky++)
                    {
                        int y = (oy * stride) + ky - geometry.PadTop;
                        if ((uint)y < (uint)height && last > first)
                        {
                            Add(ref Unsafe.Add(ref image, ((y * width) + x0 + first) * channels), ref Unsafe.Add(ref row, (ky * run) + (first * channels)), (last - first) * channels);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Refuses buffers shorter than the shapes say, before anything is read or written without bounds checks.</summary>
    private static void CheckLengths(int sourceLength, int destinationLength, long sourceNeeded, long destinationNeeded)
    {
        if (sourceLength < sourceNeeded || destinationLength < destinationNeeded)
        {
            throw new ArgumentException($"The buffers hold {sourceLength} and {destinationLength} floats; the shapes need {sourceNeeded} and {destinationNeeded}.");
        }
    }

    /// <summary>Where the channels of tap (ky, kx) of the window at output pixel (oy, ox) start in an NHWC image.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int TapOffset(in ConvolutionGeometry geometry, int oy, int ox, int ky, int kx)
        => ((((oy * geometry.Stride) + ky) * geometry.Width) + (ox * geometry.Stride) + kx) * geometry.Channels;
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
