using System.Globalization;
using System.Text;
using System.Text.Json;
using LlmOps.Core.Datasets;

namespace LlmOps.Core.Data;

/// <summary>
/// Streams documents out of JSONL, CSV, one-JSON-record-per-file folders and plain text files, in constant memory.
/// Bad input (malformed JSON, a missing field or column, a short CSV row, bytes that are not UTF-8) stops the read with
/// an error naming the file, line and field; with <see cref="BadRecordPolicy.Reject"/> the record goes to the rejects
/// file with its reason instead, and the read goes on. Nothing is skipped silently.
/// </summary>
public static class DocumentReader
{
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads a JSON Lines file: one JSON object per line, blank lines ignored.</summary>
    public static IEnumerable<Document> ReadJsonl(string path, ReadOptions? options = null)
    {
        options = Checked(options);
        string source = options.Source ?? Path.GetFileNameWithoutExtension(path);
        long lineNumber = 0;
        foreach (var bytes in ReadLines(path))
        {
            lineNumber++;
            string line;
            try
            {
                line = StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException e)
            {
                Bad(options, path, lineNumber, null, $"not UTF-8 (byte 0x{e.BytesUnknown?[0]:X2} at column {e.Index + 1})", Convert.ToBase64String(bytes));
                continue;
            }
            if (line.Length == 0 || line.All(char.IsWhiteSpace))
                continue;
            var document = FromJson(line, options, path, lineNumber, source, $"{source}:{lineNumber}");
            if (document is not null)
                yield return document;
        }
    }

    /// <summary>Reads folders where each file is one JSON object (the layout of the catalog's json-records datasets).</summary>
    public static IEnumerable<Document> ReadJsonRecords(IEnumerable<string> files, string root, ReadOptions? options = null)
    {
        options = Checked(options);
        foreach (string file in files)
        {
            string? text = ReadStrictText(file, options);
            if (text is null)
                continue;
            string relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            var document = FromJson(text, options, file, 0, options.Source ?? Path.GetFileName(root), relative);
            if (document is not null)
                yield return document;
        }
    }

    /// <summary>Reads plain text files, one document per file (id: the path relative to <paramref name="root"/>).</summary>
    public static IEnumerable<Document> ReadTextFiles(IEnumerable<string> files, string root, ReadOptions? options = null)
    {
        options = Checked(options);
        foreach (string file in files)
        {
            string? text = ReadStrictText(file, options);
            if (text is not null)
                yield return new Document(Path.GetRelativePath(root, file).Replace('\\', '/'), text, options.Source ?? Path.GetFileName(root));
        }
    }

    /// <summary>Reads a CSV file (RFC 4180) with a header row; <see cref="ReadOptions.TextField"/> names the text column.</summary>
    public static IEnumerable<Document> ReadCsv(string path, ReadOptions? options = null)
    {
        options = Checked(options);
        string source = options.Source ?? Path.GetFileNameWithoutExtension(path);
        using var reader = new StreamReader(path, StrictUtf8, detectEncodingFromByteOrderMarks: true);
        using var records = CsvRecords.Read(reader, path).GetEnumerator();
        if (!records.MoveNext())
            throw new DataFormatException(path, 1, null, "no header row");
        string[] header = records.Current.Fields;
        int textColumn = Array.IndexOf(header, options.TextField);
        if (textColumn < 0)
            throw new DataFormatException(path, 1, options.TextField, $"no such column; the header has: {string.Join(", ", header)}");
        int idColumn = options.IdField is null ? -1 : Array.IndexOf(header, options.IdField);

        while (records.MoveNext())
        {
            var (line, fields) = records.Current;
            if (fields.Length != header.Length)
            {
                Bad(options, path, line, null, $"{fields.Length} fields where the header has {header.Length}", string.Join(",", fields));
                continue;
            }
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i < header.Length; i++)
                if (i != textColumn && i != idColumn)
                    metadata[header[i]] = fields[i];
            string id = idColumn >= 0 && fields[idColumn].Length > 0 ? fields[idColumn] : $"{source}:{line}";
            yield return new Document(id, fields[textColumn], source, metadata);
        }
    }

    /// <summary>Reads a fetched catalog dataset by its format (json-records or text).</summary>
    /// <exception cref="NotSupportedException">A format whose reader is not written yet; the message says which.</exception>
    public static IEnumerable<Document> Read(FetchedDataset dataset, ReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        options = (options ?? new ReadOptions()) with { Source = options?.Source ?? dataset.Entry.Name };
        return dataset.Entry.Format switch
        {
            "json-records" => ReadJsonRecords(dataset.DataFiles, dataset.Folder, options),
            "text" => ReadTextFiles(dataset.DataFiles, dataset.Folder, options),
            _ => throw new NotSupportedException($"Reading the '{dataset.Entry.Format}' format of {dataset.Entry.Name} is not implemented yet (the email reader comes with the cleaning pipeline)."),
        };
    }

    static Document? FromJson(string json, ReadOptions options, string file, long line, string source, string fallbackId)
    {
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            Bad(options, file, line > 0 ? line : (e.LineNumber ?? 0) + 1, null, $"not valid JSON: {e.Message}", json);
            return null;
        }
        using (parsed)
        {
            var root = parsed.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                Bad(options, file, line, null, $"expected a JSON object, found {root.ValueKind.ToString().ToLowerInvariant()}", json);
                return null;
            }
            if (!root.TryGetProperty(options.TextField, out var text))
            {
                Bad(options, file, line, options.TextField, "missing", json);
                return null;
            }
            if (text.ValueKind != JsonValueKind.String)
            {
                Bad(options, file, line, options.TextField, $"must be a string, found {text.ValueKind.ToString().ToLowerInvariant()}", json);
                return null;
            }
            string id = options.IdField is not null && root.TryGetProperty(options.IdField, out var idValue) && idValue.ValueKind is not JsonValueKind.Null
                ? (idValue.ValueKind == JsonValueKind.String ? idValue.GetString()! : idValue.GetRawText())
                : fallbackId;
            // A record's own "source" wins over the file name (so written corpora read back as they were), unless the
            // caller named the source explicitly.
            bool ownSource = options.Source is null && root.TryGetProperty("source", out var sourceValue) && sourceValue.ValueKind == JsonValueKind.String;
            if (ownSource)
                source = root.GetProperty("source").GetString()!;
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
                if (property.Name != options.TextField && property.Name != options.IdField && !(ownSource && property.Name == "source"))
                    metadata[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            return new Document(id, text.GetString()!, source, metadata);
        }
    }

    static string? ReadStrictText(string file, ReadOptions options)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Bad(options, file, 0, null, $"unreadable: {e.Message}", null);
            return null;
        }
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            long line = 1 + bytes.AsSpan(0, Math.Max(0, Math.Min(bytes.Length, e.Index))).Count((byte)'\n');
            Bad(options, file, line, null, $"not UTF-8 (byte offset {e.Index})", null);
            return null;
        }
    }

    /// <summary>The file's lines as raw bytes (without the line break), so each can be decoded and blamed on its own.</summary>
    static IEnumerable<byte[]> ReadLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var line = new List<byte>(256);
        int b;
        while ((b = stream.ReadByte()) >= 0)
        {
            if (b == '\n')
            {
                yield return TrimCarriageReturn(line);
                line.Clear();
            }
            else
            {
                line.Add((byte)b);
            }
        }
        if (line.Count > 0)
            yield return TrimCarriageReturn(line);
    }

    static byte[] TrimCarriageReturn(List<byte> line) =>
        line.Count > 0 && line[^1] == '\r' ? [.. line.Take(line.Count - 1)] : [.. line];

    static void Bad(ReadOptions options, string file, long line, string? field, string reason, string? raw)
    {
        if (options.OnBadRecord == BadRecordPolicy.Fail)
            throw new DataFormatException(file, line, field, reason);
        options.Rejects!.Write("load", reason, file, line > 0 ? line : null, field, text: raw);
    }

    static ReadOptions Checked(ReadOptions? options)
    {
        options ??= new ReadOptions();
        if (options.OnBadRecord == BadRecordPolicy.Reject && options.Rejects is null)
            throw new ArgumentException("BadRecordPolicy.Reject needs a RejectsWriter to send the records to.", nameof(options));
        return options;
    }
}
