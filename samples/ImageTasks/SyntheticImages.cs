using System;
using System.IO;
using System.IO.Compression;

namespace ImageTasks;

/// <summary>
/// Small data sets of synthetic 28×28 images in the IDX format, for the smoke run: class c of the first is a bright
/// row band at height 2c + 4, of the second a column band, both under noise. Written as the real files are named.
/// </summary>
public static class SyntheticImages
{
    /// <summary>Writes <c>mnist/</c> and <c>fashion-mnist/</c> under <paramref name="folder"/> and returns it.</summary>
    public static string Write(string folder, int seed)
    {
        var random = new Random(seed);
        foreach ((string name, bool rows) in new[] { ("mnist", true), ("fashion-mnist", false) })
        {
            string directory = Path.Combine(folder, name);
            Directory.CreateDirectory(directory);
            foreach ((string part, int count) in new[] { ("train", 640), ("t10k", 200) })
            {
                byte[] labels = new byte[count];
                byte[] pixels = new byte[count * ImageSet.Pixels];
                for (int n = 0; n < count; n++)
                {
                    labels[n] = (byte)random.Next(ImageSet.Classes);
                    int band = (2 * labels[n]) + 4;
                    for (int y = 0; y < ImageSet.Side; y++)
                    {
                        for (int x = 0; x < ImageSet.Side; x++)
                        {
                            bool lit = Math.Abs((rows ? y : x) - band) <= 1;
                            pixels[(n * ImageSet.Pixels) + (y * ImageSet.Side) + x] = (byte)Math.Clamp((lit ? 200 : 20) + random.Next(-20, 21), 0, 255);
                        }
                    }
                }

                // The images compressed as distributed, the labels plain: the reader takes both.
                WriteIdx(Path.Combine(directory, $"{part}-images-idx3-ubyte.gz"), 0x803, [count, ImageSet.Side, ImageSet.Side], pixels, compress: true);
                WriteIdx(Path.Combine(directory, $"{part}-labels-idx1-ubyte"), 0x801, [count], labels, compress: false);
            }
        }

        return folder;
    }

    private static void WriteIdx(string path, int magic, int[] dimensions, byte[] data, bool compress)
    {
        using FileStream file = File.Create(path);
        using Stream stream = compress ? new GZipStream(file, CompressionLevel.Fastest) : file;
        Span<byte> word = stackalloc byte[4];
        foreach (int value in System.Linq.Enumerable.Prepend(dimensions, magic))
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(word, value);
            stream.Write(word);
        }

        stream.Write(data);
    }
}
