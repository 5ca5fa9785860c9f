using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using static TorchSharp.torch;

namespace LlmOps.Core.Modeling;

/// <summary>
/// The safetensors format (Hugging Face), written and read here rather than through a package: an 8-byte
/// little-endian header length, a JSON header naming each tensor's dtype, shape and byte range (plus an optional
/// string-to-string <c>__metadata__</c>), then the raw little-endian data. Nothing in it executes on load, unlike a
/// pickle, and Python, Rust and JavaScript read the same file.
/// </summary>
public static class SafeTensors
{
    const string MetadataKey = "__metadata__";
    const long MaxHeaderBytes = 100L << 20;

    static readonly Dictionary<ScalarType, string> Names = new()
    {
        [ScalarType.Float32] = "F32", [ScalarType.BFloat16] = "BF16", [ScalarType.Float16] = "F16", [ScalarType.Float64] = "F64",
        [ScalarType.Int64] = "I64", [ScalarType.Int32] = "I32", [ScalarType.Int16] = "I16", [ScalarType.Int8] = "I8",
        [ScalarType.Byte] = "U8", [ScalarType.Bool] = "BOOL",
    };

    static readonly Dictionary<string, ScalarType> Types = Names.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>Writes <paramref name="tensors"/> in the given order (copied to the CPU as needed) with
    /// <paramref name="metadata"/>. The header is padded with spaces to 8 bytes so the data stay aligned.</summary>
    /// <exception cref="NotSupportedException">A dtype safetensors has no name for here, or a big-endian machine.</exception>
    public static void Write(Stream stream, IReadOnlyList<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        if (!BitConverter.IsLittleEndian)
            throw new NotSupportedException("safetensors data are little-endian; writing from a big-endian machine is not implemented.");

        using var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata)
                    json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                if (!Names.TryGetValue(tensor.dtype, out var dtype))
                    throw new NotSupportedException($"Tensor '{name}' has dtype {tensor.dtype}, which this safetensors writer does not support.");
                long bytes = tensor.numel() * tensor.ElementSize;
                json.WriteStartObject(name);
                json.WriteString("dtype", dtype);
                json.WriteStartArray("shape");
                foreach (long size in tensor.shape)
                    json.WriteNumberValue(size);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }
            json.WriteEndObject();
        }
        while (header.Length % 8 != 0)
            header.WriteByte((byte)' ');

        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        header.Position = 0;
        header.CopyTo(stream);
        foreach (var (_, tensor) in tensors)
        {
            using var scope = NewDisposeScope();
            var data = tensor.detach().cpu().contiguous();
            stream.Write(data.bytes);
        }
    }

    /// <summary>Reads every tensor of <paramref name="path"/> onto the CPU, checking the header against the file
    /// so a truncated or corrupt file fails with a message naming it instead of loading garbage.</summary>
    /// <exception cref="InvalidDataException">The file is not valid safetensors; the message names the file and what is wrong.</exception>
    public static SafeTensorsContent Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = File.OpenRead(path);
        long fileLength = stream.Length;
        if (fileLength < 8)
            throw Corrupt(path, $"it is {fileLength} bytes long, too short for the 8-byte header length");
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)(fileLength - 8) || headerLength > MaxHeaderBytes)
            throw Corrupt(path, $"the header length {headerLength} does not fit the file ({fileLength} bytes)");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        long dataStart = 8 + (long)headerLength;
        long dataLength = fileLength - dataStart;

        JsonDocument header;
        try
        {
            header = JsonDocument.Parse(headerBytes);
        }
        catch (JsonException e)
        {
            throw Corrupt(path, $"the JSON header does not parse ({e.Message})");
        }

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using (header)
            {
                if (header.RootElement.ValueKind != JsonValueKind.Object)
                    throw Corrupt(path, "the header is not a JSON object");
                foreach (var entry in header.RootElement.EnumerateObject())
                {
                    if (entry.Name == MetadataKey)
                    {
                        foreach (var item in entry.Value.EnumerateObject())
                            metadata[item.Name] = item.Value.ValueKind == JsonValueKind.String ? item.Value.GetString()! : item.Value.GetRawText();
                        continue;
                    }
                    var (dtype, shape, begin, end) = Describe(path, entry);
                    long expected = shape.Aggregate(1L, (a, b) => a * b) * ElementSize(dtype);
                    if (end - begin != expected || begin < 0 || end > dataLength)
                        throw Corrupt(path, string.Create(CultureInfo.InvariantCulture,
                            $"tensor '{entry.Name}' claims bytes {begin}..{end} for {expected} bytes of data, but the data section holds {dataLength} bytes"));
                    var buffer = new byte[expected];
                    stream.Position = dataStart + begin;
                    stream.ReadExactly(buffer);
                    var tensor = empty(shape, dtype: dtype).DetachFromDisposeScope();
                    if (expected > 0)
                        tensor.bytes = buffer;
                    tensors.Add(entry.Name, tensor);
                }
            }
        }
        catch
        {
            foreach (var tensor in tensors.Values)
                tensor.Dispose();
            throw;
        }
        return new SafeTensorsContent(tensors, metadata);
    }

    /// <summary>The safetensors dtype name for <paramref name="type"/> (F32, BF16, ...).</summary>
    public static string DtypeName(ScalarType type) =>
        Names.TryGetValue(type, out var name) ? name : throw new NotSupportedException($"No safetensors dtype for {type}.");

    static (ScalarType Dtype, long[] Shape, long Begin, long End) Describe(string path, JsonProperty entry)
    {
        var value = entry.Value;
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw Corrupt(path, $"tensor '{entry.Name}' needs dtype, shape and two data_offsets");
        string dtypeName = dtypeElement.GetString()!;
        if (!Types.TryGetValue(dtypeName, out var dtype))
            throw Corrupt(path, $"tensor '{entry.Name}' has dtype '{dtypeName}', which this reader does not support");
        try
        {
            var shape = shapeElement.EnumerateArray().Select(e => e.GetInt64()).ToArray();
            if (shape.Any(s => s < 0))
                throw Corrupt(path, $"tensor '{entry.Name}' has a negative dimension");
            return (dtype, shape, offsets[0].GetInt64(), offsets[1].GetInt64());
        }
        catch (FormatException)
        {
            throw Corrupt(path, $"tensor '{entry.Name}' has a shape or offset that is not an integer");
        }
        catch (InvalidOperationException)
        {
            throw Corrupt(path, $"tensor '{entry.Name}' has a shape or offset that is not a number");
        }
    }

    static long ElementSize(ScalarType type) => type switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.BFloat16 or ScalarType.Float16 or ScalarType.Int16 => 2,
        _ => 1,
    };

    static InvalidDataException Corrupt(string path, string problem) =>
        new($"{path} is not a valid safetensors file: {problem}.");
}
