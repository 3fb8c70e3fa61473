using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Linq;
using HyperDsl.Data;
using Xunit;

namespace HyperDsl.Tests.Data;

/// <summary>
/// IDX files written here byte by byte from the format's description (big-endian magic and dimensions, then unsigned
/// bytes) read back as written, plain or gzip-compressed; damaged files are refused with the file and the reason.
/// </summary>
public sealed class IdxTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("hyperdsl-idx-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Images_and_labels_read_back_as_written(bool compressed)
    {
        byte[] pixels = Enumerable.Range(0, 3 * 4 * 5).Select(i => (byte)(i * 7)).ToArray();
        string images = Write("images", Header(0x803, 3, 4, 5).Concat(pixels).ToArray(), compressed);
        string labels = Write("labels", Header(0x801, 3).Concat(new byte[] { 9, 0, 4 }).ToArray(), compressed);

        IdxImages read = Idx.ReadImages(images);
        Assert.Equal((3, 4, 5, 20), (read.Count, read.Height, read.Width, read.Size));
        Assert.Equal(pixels, read.Pixels);
        Assert.Equal(pixels[20..40], read.Image(1).ToArray());
        Assert.Equal(new byte[] { 9, 0, 4 }, Idx.ReadLabels(labels));
        Assert.Throws<ArgumentOutOfRangeException>(() => read.Image(3).ToArray());
    }

    [Theory]
    [InlineData("labels as images", "magic number 0x00000801, not 0x00000803")]
    [InlineData("floats", "magic number 0x00000d03, not 0x00000803")]
    [InlineData("short header", "shorter than the 16-byte header")]
    [InlineData("truncated data", "announces 2 × 2 × 2 = 8 bytes of data, but the file holds 7")]
    [InlineData("extra data", "announces 2 × 2 × 2 = 8 bytes of data, but the file holds 9")]
    [InlineData("negative count", "dimension 0 is -1")]
    [InlineData("zero height", "dimension 1 is 0")]
    [InlineData("empty", "0 bytes, too short for an IDX header")]
    [InlineData("truncated gzip", "bytes of data, but the file holds")]
    [InlineData("damaged gzip", "the gzip stream is damaged")]
    public void A_damaged_file_is_refused_with_its_name_and_the_reason(string damage, string message)
    {
        byte[] content = damage switch
        {
            "labels as images" => Header(0x801, 8).Concat(new byte[8]).ToArray(),
            "floats" => Header(0xd03, 2, 2, 2).Concat(new byte[32]).ToArray(),
            "short header" => Header(0x803, 2, 2),
            "truncated data" => Header(0x803, 2, 2, 2).Concat(new byte[7]).ToArray(),
            "extra data" => Header(0x803, 2, 2, 2).Concat(new byte[9]).ToArray(),
            "negative count" => Header(0x803, -1, 2, 2),
            "zero height" => Header(0x803, 2, 0, 2),
            "empty" => [],
            "truncated gzip" => Gzip(Header(0x803, 2, 2, 2).Concat(new byte[8]).ToArray())[..20],
            _ => DamagedGzip(Header(0x803, 2, 2, 2).Concat(new byte[8]).ToArray()),
        };
        string path = Write("damaged", content, compressed: false);

        var exception = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(path));
        Assert.Contains(path, exception.Message, StringComparison.Ordinal);
        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_reported_as_missing()
        => Assert.Throws<FileNotFoundException>(() => Idx.ReadLabels(Path.Combine(folder, "none")));

    private static byte[] Header(int magic, params int[] dimensions)
    {
        byte[] header = new byte[4 * (dimensions.Length + 1)];
        BinaryPrimitives.WriteInt32BigEndian(header, magic);
        for (int d = 0; d < dimensions.Length; d++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 * (d + 1)), dimensions[d]);
        }

        return header;
    }

    private static byte[] Gzip(byte[] content)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return memory.ToArray();
    }

    /// <summary>A gzip stream whose first deflate block has the reserved block type 11, which every inflater refuses.</summary>
    private static byte[] DamagedGzip(byte[] content)
    {
        byte[] gzip = Gzip(content);
        gzip[10] |= 0b110;
        return gzip;
    }

    private string Write(string name, byte[] content, bool compressed)
    {
        string path = Path.Combine(folder, name + (compressed ? ".gz" : string.Empty));
        File.WriteAllBytes(path, compressed ? Gzip(content) : content);
        return path;
    }
}
