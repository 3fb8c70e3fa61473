using System;
using System.ComponentModel;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
    /// <remarks>
    /// Images have few channels, so one side of the matrix is usually 8 or less: with AVX, blocks of 8 × 8 are then
    /// transposed in registers (<see cref="TransposeFewRows"/>, <see cref="TransposeFewColumns"/>); elsewhere, and for
    /// the columns or rows past the last whole block, element by element.
    /// </remarks>
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
            // Whole vectors may run past a sample into the next one (which is written or read in its turn), never past
            // the last sample.
            int remaining = (batch - n) * size;
            int firstRow = 0, firstColumn = 0;
            if (Avx.IsSupported && rows <= 8 && columns >= 8)
            {
                firstColumn = TransposeFewRows(ref sample, ref transposed, rows, columns, remaining);
            }
            else if (Avx.IsSupported && columns <= 8 && rows >= 8)
            {
                firstRow = TransposeFewColumns(ref sample, ref transposed, rows, columns, remaining);
            }

            TransposeElements(ref sample, ref transposed, rows, columns, firstRow, firstColumn);
        }
    }

    /// <summary>Element by element, for one sample: rows from <paramref name="firstRow"/> on, columns from <paramref name="firstColumn"/> on.</summary>
    private static void TransposeElements(ref float sample, ref float transposed, int rows, int columns, int firstRow, int firstColumn)
    {
        for (int r = firstRow; r < rows; r++)
        {
            ref float row = ref Unsafe.Add(ref sample, r * columns);
            for (int c = firstColumn; c < columns; c++)
            {
                Unsafe.Add(ref transposed, (c * rows) + r) = Unsafe.Add(ref row, c);
            }
        }
    }

    /// <summary>
    /// One sample with at most 8 rows (channels, for NCHW → NHWC), 8 columns at a time: the rows' vectors over those
    /// columns are transposed in registers, and each column is stored as a whole vector, whose lanes past
    /// <paramref name="rows"/> the next column's store overwrites; no store reaches <paramref name="limit"/> floats past
    /// <paramref name="transposed"/>. Returns how many columns were done.
    /// </summary>
    private static int TransposeFewRows(ref float sample, ref float transposed, int rows, int columns, int limit)
    {
        int c = 0;
        for (; c <= columns - 8; c += 8)
        {
            Transpose8x8(
                Row(ref sample, 0, rows, columns, c), Row(ref sample, 1, rows, columns, c), Row(ref sample, 2, rows, columns, c), Row(ref sample, 3, rows, columns, c),
                Row(ref sample, 4, rows, columns, c), Row(ref sample, 5, rows, columns, c), Row(ref sample, 6, rows, columns, c), Row(ref sample, 7, rows, columns, c),
                out Vector256<float> t0, out Vector256<float> t1, out Vector256<float> t2, out Vector256<float> t3,
                out Vector256<float> t4, out Vector256<float> t5, out Vector256<float> t6, out Vector256<float> t7);
            Column(t0, ref transposed, c * rows, rows, limit);
            Column(t1, ref transposed, (c + 1) * rows, rows, limit);
            Column(t2, ref transposed, (c + 2) * rows, rows, limit);
            Column(t3, ref transposed, (c + 3) * rows, rows, limit);
            Column(t4, ref transposed, (c + 4) * rows, rows, limit);
            Column(t5, ref transposed, (c + 5) * rows, rows, limit);
            Column(t6, ref transposed, (c + 6) * rows, rows, limit);
            Column(t7, ref transposed, (c + 7) * rows, rows, limit);
        }

        return c;

        static Vector256<float> Row(ref float sample, int r, int rows, int columns, int c)
            => r < rows ? Vector256.LoadUnsafe(ref sample, (nuint)((r * columns) + c)) : Vector256<float>.Zero;

        // A whole vector where it fits before the limit, else only the column's own lanes.
        static void Column(Vector256<float> column, ref float transposed, int at, int rows, int limit)
        {
            if (at + 8 <= limit)
            {
                column.StoreUnsafe(ref transposed, (nuint)at);
                return;
            }

            for (int r = 0; r < rows; r++)
            {
                Unsafe.Add(ref transposed, at + r) = column.GetElement(r);
            }
        }
    }

    /// <summary>
    /// One sample with at most 8 columns (channels, for NHWC → NCHW), 8 rows at a time: each row is loaded as a whole
    /// vector (lanes past <paramref name="columns"/> belong to the next row and are not used), the 8 × 8 block is
    /// transposed in registers, and the first <paramref name="columns"/> vectors are stored; no load reaches
    /// <paramref name="limit"/> floats past <paramref name="sample"/>. Returns how many rows were done.
    /// </summary>
    private static int TransposeFewColumns(ref float sample, ref float transposed, int rows, int columns, int limit)
    {
        int r = 0;
        Span<Vector256<float>> block = stackalloc Vector256<float>[8];
        for (; r <= rows - 8; r += 8)
        {
            if (((r + 7) * columns) + 8 > limit)
            {
                break;
            }

            ref float at = ref Unsafe.Add(ref sample, r * columns);
            Transpose8x8(
                Vector256.LoadUnsafe(ref at), Vector256.LoadUnsafe(ref at, (nuint)columns), Vector256.LoadUnsafe(ref at, (nuint)(2 * columns)), Vector256.LoadUnsafe(ref at, (nuint)(3 * columns)),
                Vector256.LoadUnsafe(ref at, (nuint)(4 * columns)), Vector256.LoadUnsafe(ref at, (nuint)(5 * columns)), Vector256.LoadUnsafe(ref at, (nuint)(6 * columns)), Vector256.LoadUnsafe(ref at, (nuint)(7 * columns)),
                out block[0], out block[1], out block[2], out block[3], out block[4], out block[5], out block[6], out block[7]);
            for (int c = 0; c < columns; c++)
            {
                block[c].StoreUnsafe(ref transposed, (nuint)((c * rows) + r));
            }
        }

        return r;
    }

    /// <summary>The 8 × 8 transpose of AVX code (_MM_TRANSPOSE8_PS): output k holds lane k of every input, in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(
        Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
        Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7,
        out Vector256<float> t0, out Vector256<float> t1, out Vector256<float> t2, out Vector256<float> t3,
        out Vector256<float> t4, out Vector256<float> t5, out Vector256<float> t6, out Vector256<float> t7)
    {
        Vector256<float> a0 = Avx.UnpackLow(r0, r1), a1 = Avx.UnpackHigh(r0, r1), a2 = Avx.UnpackLow(r2, r3), a3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> a4 = Avx.UnpackLow(r4, r5), a5 = Avx.UnpackHigh(r4, r5), a6 = Avx.UnpackLow(r6, r7), a7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> b0 = Avx.Shuffle(a0, a2, 0x44), b1 = Avx.Shuffle(a0, a2, 0xEE), b2 = Avx.Shuffle(a1, a3, 0x44), b3 = Avx.Shuffle(a1, a3, 0xEE);
        Vector256<float> b4 = Avx.Shuffle(a4, a6, 0x44), b5 = Avx.Shuffle(a4, a6, 0xEE), b6 = Avx.Shuffle(a5, a7, 0x44), b7 = Avx.Shuffle(a5, a7, 0xEE);
        t0 = Avx.Permute2x128(b0, b4, 0x20);
        t1 = Avx.Permute2x128(b1, b5, 0x20);
        t2 = Avx.Permute2x128(b2, b6, 0x20);
        t3 = Avx.Permute2x128(b3, b7, 0x20);
        t4 = Avx.Permute2x128(b0, b4, 0x31);
        t5 = Avx.Permute2x128(b1, b5, 0x31);
        t6 = Avx.Permute2x128(b2, b6, 0x31);
        t7 = Avx.Permute2x128(b3, b7, 0x31);
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
