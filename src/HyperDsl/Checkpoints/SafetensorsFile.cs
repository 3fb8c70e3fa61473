using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace HyperDsl.Checkpoints;

/// <summary>One tensor's entry in a safetensors header.</summary>
/// <param name="Dtype">Its element type, e.g. <c>F32</c>.</param>
/// <param name="Shape">Its shape.</param>
/// <param name="Begin">The first byte of its data, relative to the data section.</param>
/// <param name="End">One past its last byte.</param>
internal sealed record SafetensorsEntry(string Dtype, long[] Shape, long Begin, long End);

/// <summary>
/// The safetensors format: an 8-byte little-endian header length N, N bytes of UTF-8 JSON (padded with spaces) that
/// map each tensor's name to its dtype, shape and byte range in the data section, an optional
/// <c>__metadata__</c> object of strings, then the data section, every byte of it belonging to exactly one tensor.
/// </summary>
internal static class SafetensorsFile
{
    /// <summary>The largest header this reader accepts, as the reference implementation limits it.</summary>
    public const int MaxHeaderBytes = 100_000_000;

    private const string MetadataKey = "__metadata__";

    /// <summary>Writes the tensors (F32, in the order given) and the metadata to <paramref name="path"/>, atomically.</summary>
    public static void Write(string path, IReadOnlyList<TensorBinding> tensors, IReadOnlyList<KeyValuePair<string, string>> metadata)
    {
        byte[] header = Header(tensors, metadata);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            int largest = 0;
            foreach (TensorBinding tensor in tensors)
            {
                largest = Math.Max(largest, tensor.Length);
            }

            float[] values = ArrayPool<float>.Shared.Rent(Math.Max(1, largest));
            try
            {
                foreach (TensorBinding tensor in tensors)
                {
                    Span<float> fileOrder = values.AsSpan(0, tensor.Length);
                    tensor.CopyToFileOrder(fileOrder);
                    if (!BitConverter.IsLittleEndian)
                    {
                        Span<int> bits = MemoryMarshal.Cast<float, int>(fileOrder);
                        BinaryPrimitives.ReverseEndianness(bits, bits);
                    }

                    stream.Write(MemoryMarshal.AsBytes(fileOrder));
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(values);
            }
        });
    }

    /// <summary>The JSON header, padded with spaces to a multiple of 8 bytes so that the data section is aligned.</summary>
    private static byte[] Header(IReadOnlyList<TensorBinding> tensors, IReadOnlyList<KeyValuePair<string, string>> metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject(MetadataKey);
            foreach (KeyValuePair<string, string> pair in metadata)
            {
                json.WriteString(pair.Key, pair.Value);
            }

            json.WriteEndObject();
            long offset = 0;
            foreach (TensorBinding tensor in tensors)
            {
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (long dimension in tensor.Shape)
                {
                    json.WriteNumberValue(dimension);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += tensor.Length * 4L;
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        int padded = (buffer.WrittenCount + 7) & ~7;
        byte[] header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    /// <summary>Reads and checks a whole file: its header against the format, and every tensor's range against the data.</summary>
    /// <exception cref="CheckpointException">The file is truncated or its header is not a valid safetensors header.</exception>
    public static SafetensorsContent Read(string path)
    {
        string full = Path.GetFullPath(path);
        using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        long fileLength = stream.Length;
        if (fileLength < 8)
        {
            throw new CheckpointException(CheckpointError.Truncated, full, $"the file has {fileLength} bytes; a safetensors file starts with an 8-byte header length.");
        }

        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderBytes)
        {
            throw new CheckpointException(CheckpointError.BadHeader, full, $"the header length is {headerLength} bytes, more than the format's limit of {MaxHeaderBytes}.");
        }

        if ((long)headerLength > fileLength - 8)
        {
            throw new CheckpointException(CheckpointError.Truncated, full, $"the header length is {headerLength} bytes, but only {fileLength - 8} bytes follow it.");
        }

        byte[] header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataLength = fileLength - 8 - (long)headerLength;
        if (dataLength > Array.MaxLength)
        {
            throw new CheckpointException(CheckpointError.BadHeader, full, $"the data section has {dataLength} bytes, more than this reader holds in memory ({Array.MaxLength}).");
        }

        (Dictionary<string, string>? metadata, Dictionary<string, SafetensorsEntry> entries) = ParseHeader(full, header);
        CheckRanges(full, entries, dataLength);
        byte[] data = new byte[dataLength];
        stream.ReadExactly(data);
        return new SafetensorsContent(full, metadata, entries, data);
    }

    private static (Dictionary<string, string>? Metadata, Dictionary<string, SafetensorsEntry> Entries) ParseHeader(string path, byte[] header)
    {
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(header);
        }
        catch (DecoderFallbackException e)
        {
            throw new CheckpointException(CheckpointError.BadHeader, path, "the header is not valid UTF-8.", e);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new CheckpointException(CheckpointError.BadHeader, path, $"the header is not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Bad(path, $"the header is a JSON {root.ValueKind}, not an object.");
            }

            Dictionary<string, string>? metadata = null;
            var entries = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw Bad(path, $"the header names '{property.Name}' twice.");
                }

                if (property.Name == MetadataKey)
                {
                    metadata = ParseMetadata(path, property.Value);
                }
                else
                {
                    entries.Add(property.Name, ParseEntry(path, property.Name, property.Value));
                }
            }

            return (metadata, entries);
        }
    }

    private static Dictionary<string, string> ParseMetadata(string path, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Bad(path, $"{MetadataKey} is a JSON {value.ValueKind}, not an object of strings.");
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty pair in value.EnumerateObject())
        {
            if (pair.Value.ValueKind != JsonValueKind.String)
            {
                throw Bad(path, $"{MetadataKey}.{pair.Name} is a JSON {pair.Value.ValueKind}, not a string.");
            }

            if (!metadata.TryAdd(pair.Name, pair.Value.GetString()!))
            {
                throw Bad(path, $"{MetadataKey} names '{pair.Name}' twice.");
            }
        }

        return metadata;
    }

    private static SafetensorsEntry ParseEntry(string path, string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Bad(path, $"the entry of tensor '{name}' is a JSON {value.ValueKind}, not an object.");
        }

        string? dtype = null;
        long[]? shape = null;
        long[]? offsets = null;
        foreach (JsonProperty field in value.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when field.Value.ValueKind == JsonValueKind.String && dtype is null:
                    dtype = field.Value.GetString()!;
                    break;
                case "shape" when shape is null:
                    shape = Integers(path, name, "shape", field.Value);
                    break;
                case "data_offsets" when offsets is null:
                    offsets = Integers(path, name, "data_offsets", field.Value);
                    break;
                default:
                    throw Bad(path, $"tensor '{name}' has an unexpected, repeated or mistyped field '{field.Name}'.");
            }
        }

        if (dtype is null || shape is null || offsets is null)
        {
            string missing = dtype is null ? "dtype" : shape is null ? "shape" : "data_offsets";
            throw Bad(path, $"tensor '{name}' has no {missing}.");
        }

        if (offsets.Length != 2 || offsets[0] > offsets[1])
        {
            throw Bad(path, $"tensor '{name}' has data_offsets [{string.Join(", ", offsets)}]; they must be [begin, end] with begin ≤ end.");
        }

        int elementSize = ElementSize(dtype);
        if (elementSize == 0)
        {
            throw new CheckpointException(CheckpointError.WrongDtype, path, $"tensor '{name}' has dtype '{dtype}', which is not a safetensors dtype.");
        }

        long elements = 1;
        foreach (long dimension in shape)
        {
            elements = dimension == 0 ? 0 : elements > long.MaxValue / dimension ? long.MaxValue : elements * dimension;
        }

        long bytes = offsets[1] - offsets[0];
        if (elements > long.MaxValue / elementSize || elements * elementSize != bytes)
        {
            throw Bad(path, $"tensor '{name}' has shape {TensorBinding.Format(shape)} of {dtype} but {bytes} bytes of data.");
        }

        return new SafetensorsEntry(dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] Integers(string path, string name, string field, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Bad(path, $"tensor '{name}' has a {field} that is not an array.");
        }

        var numbers = new long[value.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long number) || number < 0)
            {
                throw Bad(path, $"tensor '{name}' has a {field} entry '{item}' that is not a non-negative integer.");
            }

            numbers[i++] = number;
        }

        return numbers;
    }

    /// <summary>The data section must be covered by the tensors exactly: no gap, no overlap, nothing past its end.</summary>
    private static void CheckRanges(string path, Dictionary<string, SafetensorsEntry> entries, long dataLength)
    {
        var ordered = new List<KeyValuePair<string, SafetensorsEntry>>(entries);
        ordered.Sort((a, b) => a.Value.Begin != b.Value.Begin ? a.Value.Begin.CompareTo(b.Value.Begin) : a.Value.End.CompareTo(b.Value.End));
        long expected = 0;
        foreach (KeyValuePair<string, SafetensorsEntry> pair in ordered)
        {
            SafetensorsEntry entry = pair.Value;
            if (entry.End > dataLength)
            {
                throw new CheckpointException(CheckpointError.Truncated, path, $"tensor '{pair.Key}' ends at byte {entry.End} of the data, but the data has only {dataLength} bytes.");
            }

            if (entry.Begin != expected)
            {
                string what = entry.Begin < expected ? "overlaps the tensor before it" : "leaves a gap after the tensor before it";
                throw Bad(path, $"tensor '{pair.Key}' begins at byte {entry.Begin} and {what} (which ends at {expected}).");
            }

            expected = entry.End;
        }

        if (expected != dataLength)
        {
            throw Bad(path, $"the data has {dataLength} bytes, but the tensors end at byte {expected}.");
        }
    }

    private static int ElementSize(string dtype) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" or "F8_E4M3" or "F8_E5M2" => 1,
        _ => 0,
    };

    private static CheckpointException Bad(string path, string message) => new(CheckpointError.BadHeader, path, message);
}

/// <summary>A checked safetensors file in memory.</summary>
internal sealed class SafetensorsContent(string path, Dictionary<string, string>? metadata, Dictionary<string, SafetensorsEntry> entries, byte[] data)
{
    /// <summary>The file's full path, for messages.</summary>
    public string Path { get; } = path;

    /// <summary>The <c>__metadata__</c> strings, or null when the file has none.</summary>
    public Dictionary<string, string>? Metadata { get; } = metadata;

    /// <summary>The tensors by name.</summary>
    public Dictionary<string, SafetensorsEntry> Entries { get; } = entries;

    /// <summary>A tensor's F32 values in file order; the entry's dtype must be F32.</summary>
    public ReadOnlySpan<float> Floats(SafetensorsEntry entry)
    {
        ReadOnlySpan<byte> bytes = data.AsSpan((int)entry.Begin, (int)(entry.End - entry.Begin));
        if (BitConverter.IsLittleEndian)
        {
            return MemoryMarshal.Cast<byte, float>(bytes);
        }

        var values = new float[bytes.Length / 4];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
        }

        return values;
    }
}
