using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace HyperDsl.Data;

/// <summary>
/// Images read from an IDX file, the format MNIST and Fashion-MNIST are distributed in: <see cref="Count"/> images of
/// <see cref="Height"/> × <see cref="Width"/> unsigned bytes, row-major, one after another.
/// </summary>
/// <param name="Count">The number of images.</param>
/// <param name="Height">Rows of an image.</param>
/// <param name="Width">Columns of an image.</param>
/// <param name="Pixels">Every pixel, <c>[Count × Height × Width]</c>, 0 to 255.</param>
public sealed record IdxImages(int Count, int Height, int Width, byte[] Pixels)
{
    /// <summary>Pixels per image.</summary>
    public int Size => Height * Width;

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    /// <param name="index">From 0 to <see cref="Count"/> − 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside the images.</exception>
    public ReadOnlySpan<byte> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Pixels.AsSpan(index * Size, Size);
    }
}

/// <summary>
/// Reads IDX files (LeCun's format for MNIST): a big-endian header — two zero bytes, the element type (0x08 for
/// unsigned bytes), the number of dimensions, then each dimension as a 32-bit integer — followed by the data. Files
/// compressed with gzip (<c>.gz</c>, as distributed) are recognised by their first bytes and read as they are.
/// </summary>
public static class Idx
{
    private const int ImagesMagic = 0x00000803;
    private const int LabelsMagic = 0x00000801;

    /// <summary>Reads a file of images (magic 2051: unsigned bytes in 3 dimensions).</summary>
    /// <param name="path">The file, plain or gzip-compressed.</param>
    /// <returns>The images.</returns>
    /// <exception cref="InvalidDataException">The file is not an IDX file of unsigned-byte images, or it is shorter than its header says; the message names the file and what is wrong.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public static IdxImages ReadImages(string path)
    {
        byte[] content = ReadAll(path);
        int[] dimensions = Header(content, path, ImagesMagic, "images");
        (int count, int height, int width) = (dimensions[0], dimensions[1], dimensions[2]);
        return new IdxImages(count, height, width, Data(content, path, dimensions));
    }

    /// <summary>Reads a file of labels (magic 2049: unsigned bytes in 1 dimension).</summary>
    /// <param name="path">The file, plain or gzip-compressed.</param>
    /// <returns>One label per item, 0 to 255.</returns>
    /// <exception cref="InvalidDataException">The file is not an IDX file of unsigned-byte labels, or it is shorter than its header says; the message names the file and what is wrong.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public static byte[] ReadLabels(string path)
    {
        byte[] content = ReadAll(path);
        return Data(content, path, Header(content, path, LabelsMagic, "labels"));
    }

    private static byte[] ReadAll(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] raw = File.ReadAllBytes(path);
        if (raw.Length < 2 || raw[0] != 0x1f || raw[1] != 0x8b)
        {
            return raw;
        }

        try
        {
            using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gzip.CopyTo(plain);
            return plain.ToArray();
        }
        catch (InvalidDataException exception)
        {
            throw new InvalidDataException($"{path}: the gzip stream is damaged: {exception.Message}", exception);
        }
    }

    /// <summary>The dimensions the header gives, after checking the magic number.</summary>
    private static int[] Header(byte[] content, string path, int magic, string what)
    {
        int rank = magic & 0xff;
        int headerLength = 4 + (4 * (magic == ImagesMagic ? 3 : 1));
        if (content.Length < 4)
        {
            throw new InvalidDataException($"{path}: {content.Length} bytes, too short for an IDX header.");
        }

        int found = BinaryPrimitives.ReadInt32BigEndian(content);
        if (found != magic)
        {
            throw new InvalidDataException($"{path}: magic number 0x{found:x8}, not 0x{magic:x8} (unsigned-byte {what} in {rank} dimension{(rank == 1 ? string.Empty : "s")}).");
        }

        if (content.Length < headerLength)
        {
            throw new InvalidDataException($"{path}: {content.Length} bytes, shorter than the {headerLength}-byte header of IDX {what}.");
        }

        int[] dimensions = new int[(headerLength - 4) / 4];
        for (int d = 0; d < dimensions.Length; d++)
        {
            dimensions[d] = BinaryPrimitives.ReadInt32BigEndian(content.AsSpan(4 + (4 * d)));
            if (dimensions[d] < 0 || (d > 0 && dimensions[d] == 0))
            {
                throw new InvalidDataException($"{path}: dimension {d} is {dimensions[d]}.");
            }
        }

        return dimensions;
    }

    /// <summary>The data after the header, which must hold exactly the product of the dimensions.</summary>
    private static byte[] Data(byte[] content, string path, int[] dimensions)
    {
        long expected = 1;
        foreach (int dimension in dimensions)
        {
            expected *= dimension;
        }

        int headerLength = 4 + (4 * dimensions.Length);
        long actual = content.Length - headerLength;
        if (actual != expected)
        {
            throw new InvalidDataException($"{path}: the header announces {string.Join(" × ", dimensions)} = {expected} bytes of data, but the file holds {actual}.");
        }

        return content.AsSpan(headerLength).ToArray();
    }
}
