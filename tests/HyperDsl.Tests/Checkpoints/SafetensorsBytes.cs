using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace HyperDsl.Tests.Checkpoints;

/// <summary>
/// safetensors files built byte by byte from the format's specification, independently of the library's writer: an
/// unsigned 64-bit little-endian header length N, N bytes of UTF-8 JSON mapping each tensor name to
/// <c>{"dtype", "shape", "data_offsets": [begin, end]}</c> (offsets relative to the byte after the header) and an
/// optional <c>"__metadata__"</c> object of strings, then the data, little-endian and row-major.
/// </summary>
internal static class SafetensorsBytes
{
    public sealed record Tensor(string Name, string Dtype, long[] Shape, byte[] Data)
    {
        public static Tensor F32(string name, long[] shape, params float[] values)
        {
            var data = new byte[values.Length * 4];
            for (int i = 0; i < values.Length; i++)
            {
                BitConverter.TryWriteBytes(data.AsSpan(i * 4), values[i]);
                if (!BitConverter.IsLittleEndian)
                {
                    Array.Reverse(data, i * 4, 4);
                }
            }

            return new Tensor(name, "F32", shape, data);
        }
    }

    /// <summary>
    /// The file as the reference Python implementation lays it out: keys sorted, data in key order, the header padded
    /// with spaces to a multiple of 8 bytes.
    /// </summary>
    public static byte[] Build(IEnumerable<Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var ordered = tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var json = new StringBuilder("{");
        if (metadata is not null)
        {
            json.Append("\"__metadata__\":{");
            json.Append(string.Join(",", metadata.Select(pair => $"\"{pair.Key}\":\"{pair.Value}\"")));
            json.Append("},");
        }

        long offset = 0;
        var entries = new List<string>();
        foreach (Tensor tensor in ordered)
        {
            string shape = string.Join(",", tensor.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
            entries.Add($"\"{tensor.Name}\":{{\"dtype\":\"{tensor.Dtype}\",\"shape\":[{shape}],\"data_offsets\":[{offset},{offset + tensor.Data.Length}]}}");
            offset += tensor.Data.Length;
        }

        json.Append(string.Join(",", entries)).Append('}');
        while (Encoding.UTF8.GetByteCount(json.ToString()) % 8 != 0)
        {
            json.Append(' ');
        }

        byte[] header = Encoding.UTF8.GetBytes(json.ToString());
        var file = new MemoryStream();
        byte[] length = BitConverter.GetBytes((ulong)header.Length);
        if (!BitConverter.IsLittleEndian)
        {
            Array.Reverse(length);
        }

        file.Write(length);
        file.Write(header);
        foreach (Tensor tensor in ordered)
        {
            file.Write(tensor.Data);
        }

        return file.ToArray();
    }

    /// <summary>Parses a file with System.Text.Json alone: each tensor's dtype, shape and F32 values.</summary>
    public static Dictionary<string, (string Dtype, long[] Shape, float[] Values)> Parse(byte[] file, out Dictionary<string, string> metadata)
    {
        ulong headerLength = BitConverter.ToUInt64(file, 0);
        using var document = System.Text.Json.JsonDocument.Parse(file.AsMemory(8, (int)headerLength));
        var dataStart = 8 + (int)headerLength;
        var tensors = new Dictionary<string, (string, long[], float[])>();
        metadata = new Dictionary<string, string>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Name == "__metadata__")
            {
                foreach (var pair in property.Value.EnumerateObject())
                {
                    metadata[pair.Name] = pair.Value.GetString()!;
                }

                continue;
            }

            string dtype = property.Value.GetProperty("dtype").GetString()!;
            long[] shape = property.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            long[] offsets = property.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var values = new float[(offsets[1] - offsets[0]) / 4];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = BitConverter.ToSingle(file, dataStart + (int)offsets[0] + (i * 4));
            }

            tensors[property.Name] = (dtype, shape, values);
        }

        return tensors;
    }
}
