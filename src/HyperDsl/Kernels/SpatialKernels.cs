using System;
using System.ComponentModel;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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

    /// <summary>Refuses buffers shorter than the shapes say, before anything is read or written without bounds checks.</summary>
    private static void CheckLengths(int sourceLength, int destinationLength, long sourceNeeded, long destinationNeeded)
    {
        if (sourceLength < sourceNeeded || destinationLength < destinationNeeded)
        {
            throw new ArgumentException($"The buffers hold {sourceLength} and {destinationLength} floats; the shapes need {sourceNeeded} and {destinationNeeded}.");
        }
    }

    /// <summary><paramref name="count"/> floats from <paramref name="from"/> to <paramref name="to"/> (which do not overlap).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(ref float from, ref float to, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= count - 8; i += 8)
            {
                Vector256.LoadUnsafe(ref from, (nuint)i).StoreUnsafe(ref to, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= count - 4; i += 4)
            {
                Vector128.LoadUnsafe(ref from, (nuint)i).StoreUnsafe(ref to, (nuint)i);
            }
        }

        for (; i < count; i++)
        {
            Unsafe.Add(ref to, i) = Unsafe.Add(ref from, i);
        }
    }

    /// <summary>Sets <paramref name="count"/> floats to 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Clear(ref float to, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= count - 8; i += 8)
            {
                Vector256<float>.Zero.StoreUnsafe(ref to, (nuint)i);
            }
        }

        for (; i < count; i++)
        {
            Unsafe.Add(ref to, i) = 0f;
        }
    }

    /// <summary><paramref name="into"/>[i] += <paramref name="from"/>[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(ref float into, ref float from, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= count - 8; i += 8)
            {
                (Vector256.LoadUnsafe(ref into, (nuint)i) + Vector256.LoadUnsafe(ref from, (nuint)i)).StoreUnsafe(ref into, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= count - 4; i += 4)
            {
                (Vector128.LoadUnsafe(ref into, (nuint)i) + Vector128.LoadUnsafe(ref from, (nuint)i)).StoreUnsafe(ref into, (nuint)i);
            }
        }

        for (; i < count; i++)
        {
            Unsafe.Add(ref into, i) += Unsafe.Add(ref from, i);
        }
    }

    /// <summary><paramref name="to"/>[i] = <paramref name="from"/>[i] × <paramref name="scale"/> (the two may be the same).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scale(ref float from, ref float to, float scale, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= count - 8; i += 8)
            {
                (Vector256.LoadUnsafe(ref from, (nuint)i) * scale).StoreUnsafe(ref to, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= count - 4; i += 4)
            {
                (Vector128.LoadUnsafe(ref from, (nuint)i) * scale).StoreUnsafe(ref to, (nuint)i);
            }
        }

        for (; i < count; i++)
        {
            Unsafe.Add(ref to, i) = Unsafe.Add(ref from, i) * scale;
        }
    }

    /// <summary>
    /// <paramref name="into"/>[i] = max(<paramref name="into"/>[i], <paramref name="from"/>[i]), NaN winning as in
    /// PyTorch's max pool: <paramref name="from"/> is taken where it is larger or NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Max(ref float into, ref float from, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= count - 8; i += 8)
            {
                Vector256<float> current = Vector256.LoadUnsafe(ref into, (nuint)i), candidate = Vector256.LoadUnsafe(ref from, (nuint)i);
                Vector256<float> take = Vector256.GreaterThan(candidate, current) | ~Vector256.Equals(candidate, candidate);
                Vector256.ConditionalSelect(take, candidate, current).StoreUnsafe(ref into, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= count - 4; i += 4)
            {
                Vector128<float> current = Vector128.LoadUnsafe(ref into, (nuint)i), candidate = Vector128.LoadUnsafe(ref from, (nuint)i);
                Vector128<float> take = Vector128.GreaterThan(candidate, current) | ~Vector128.Equals(candidate, candidate);
                Vector128.ConditionalSelect(take, candidate, current).StoreUnsafe(ref into, (nuint)i);
            }
        }

        for (; i < count; i++)
        {
            float candidate = Unsafe.Add(ref from, i);
            if (candidate > Unsafe.Add(ref into, i) || float.IsNaN(candidate))
            {
                Unsafe.Add(ref into, i) = candidate;
            }
        }
    }

    /// <summary>Where the channels of tap (ky, kx) of the window at output pixel (oy, ox) start in an NHWC image.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
