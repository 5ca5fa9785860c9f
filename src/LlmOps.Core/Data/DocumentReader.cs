using System.Globalization;
using System.Text;
using System.Text.Json;
using LlmOps.Core.Datasets;
using Parquet;
using Parquet.Serialization;

namespace LlmOps.Core.Data;

/// <summary>
/// Streams documents out of JSONL, CSV, Parquet, one-JSON-record-per-file folders, plain text files and raw email
/// files, in constant memory (Parquet: one row group at a time).
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
        foreach (var raw in ReadLines(path))
        {
            lineNumber++;
            // A UTF-8 byte-order mark (.NET's Encoding.UTF8 and Windows tools write one) is not part of the first record.
            var bytes = lineNumber == 1 && raw.AsSpan().StartsWith(Utf8Bom) ? raw[Utf8Bom.Length..] : raw;
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
        if (records.Current.Error is { } headerError)
            throw new DataFormatException(path, 1, null, headerError);
        string[] header = records.Current.Fields;
        int textColumn = Array.IndexOf(header, options.TextField);
        if (textColumn < 0)
            throw new DataFormatException(path, 1, options.TextField, $"no such column; the header has: {string.Join(", ", header)}");
        int idColumn = options.IdField is null ? -1 : Array.IndexOf(header, options.IdField);

        while (records.MoveNext())
        {
            var (line, fields, error) = records.Current;
            if (error is not null)
            {
                Bad(options, path, line, null, error, string.Join(",", fields));
                continue;
            }
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

    /// <summary>
    /// Reads a Parquet file one row group at a time, so memory stays at one row group whatever the file's size.
    /// <see cref="ReadOptions.TextField"/> names the text column and <see cref="ReadOptions.IdField"/> the id column;
    /// every other top-level column goes into the metadata as invariant text (numbers round-trip, dates ISO 8601, binary
    /// base64, nested values JSON); a null cell leaves its key out rather than writing an empty string.
    /// </summary>
    /// <exception cref="DataFormatException">Not a Parquet file, or no text column (the message lists the columns
    /// there are), or, with <see cref="BadRecordPolicy.Fail"/>, a row whose text is null or not a string (the message
    /// names the row and the column).</exception>
    public static IEnumerable<Document> ReadParquet(string path, ReadOptions? options = null)
    {
        options = Checked(options);
        string source = options.Source ?? Path.GetFileNameWithoutExtension(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var (rowGroups, columns) = ParquetShape(stream, path);
        if (!columns.Contains(options.TextField))
            throw new DataFormatException(path, 0, options.TextField, $"no such column; the file has: {string.Join(", ", columns)}");
        var parquetOptions = new ParquetOptions();
        long row = 0;
        for (int group = 0; group < rowGroups; group++)
        {
            foreach (var record in ParquetRowGroup(stream, path, parquetOptions, group))
            {
                row++;
                record.TryGetValue(options.TextField, out object? text);
                if (text is not string textValue)
                {
                    string found = text is null ? "null" : text.GetType().Name;
                    BadRow(options, path, row, options.TextField, $"must be a string, found {found}", record);
                    continue;
                }
                string? id = options.IdField is not null && record.TryGetValue(options.IdField, out object? idValue) ? InvariantText(idValue) : null;
                var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (column, value) in record)
                    if (column != options.TextField && column != options.IdField && InvariantText(value) is { } cell)
                        metadata[column] = cell;
                yield return new Document(id ?? $"{source}:{row}", textValue, source, metadata);
            }
        }
    }

    /// <summary>
    /// Reads raw email files (RFC 822 bytes, as mail servers store them), one document per file; see
    /// <see cref="EmailMessage"/> for the decoding. Id: the path relative to <paramref name="root"/>. Text: the subject
    /// line, a blank line, then the body (text/plain preferred, else text/html left as HTML). Metadata: from, to, subject,
    /// date (those the message has), content_type, attachments, group (the file's folder, e.g. <c>spam-2</c>), label
    /// (<c>spam</c> or <c>ham</c> when a dash- or underscore-separated word of the folder name says so, as in the
    /// SpamAssassin corpus's <c>easy-ham-1</c>), charset (when declared), charset_fallback (the guess, when the body's
    /// charset was undeclared or unusable: windows-1252 for 8-bit bytes that are not UTF-8, the charset of nearly all
    /// such mail, and one that maps every byte so nothing is lost) and mime_defects (rule breaks worked around).
    /// A file that is not an email at all follows <see cref="ReadOptions.OnBadRecord"/>.
    /// </summary>
    public static IEnumerable<Document> ReadEmails(IEnumerable<string> files, string root, ReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        options = Checked(options);
        string source = options.Source ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(root));
        foreach (string file in files)
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Bad(options, file, 0, null, $"unreadable: {e.Message}", null);
                continue;
            }
            EmailMessage message;
            try
            {
                message = EmailMessage.Parse(bytes, file);
            }
            catch (DataFormatException e)
            {
                Bad(options, file, e.Line, e.Field, $"not an email: {e.Reason}", null);
                continue;
            }
            yield return EmailDocument(message, file, root, source);
        }
    }

    static Document EmailDocument(EmailMessage message, string file, string root, string source)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string key, string? value)
        {
            if (value is not null)
                metadata[key] = value;
        }
        Add("from", message.From);
        Add("to", message.To);
        Add("subject", message.Subject);
        Add("date", message.Date);
        Add("content_type", message.BodyContentType);
        Add("attachments", message.Attachments.ToString(CultureInfo.InvariantCulture));
        string group = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(file))) ?? "";
        Add("group", group);
        var words = group.ToLowerInvariant().Split('-', '_', '.', ' ');
        Add("label", words.Contains("spam") ? "spam" : words.Contains("ham") ? "ham" : null);
        Add("charset", message.Charset);
        Add("charset_fallback", message.CharsetGuess);
        if (message.Defects.Count > 0)
            Add("mime_defects", string.Join("; ", message.Defects));
        string id = Path.GetRelativePath(root, file).Replace('\\', '/');
        return new Document(id, $"{message.Subject}\n\n{message.Body}", source, metadata);
    }

    /// <summary>Reads a fetched catalog dataset by its format (json-records, text or email-files).</summary>
    /// <exception cref="NotSupportedException">A format whose reader is not written yet; the message says which.</exception>
    public static IEnumerable<Document> Read(FetchedDataset dataset, ReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        options = (options ?? new ReadOptions()) with { Source = options?.Source ?? dataset.Entry.Name };
        return dataset.Entry.Format switch
        {
            "json-records" => ReadJsonRecords(dataset.DataFiles, dataset.Folder, options),
            "text" => ReadTextFiles(dataset.DataFiles, dataset.Folder, options),
            "email-files" => ReadEmails(dataset.DataFiles, dataset.Folder, options),
            _ => throw new NotSupportedException($"Reading the '{dataset.Entry.Format}' format of {dataset.Entry.Name} is not implemented yet."),
        };
    }

    static (int RowGroups, IReadOnlyList<string> Columns) ParquetShape(Stream stream, string path)
    {
        try
        {
            return Synchronously(async () =>
            {
                await using var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true).ConfigureAwait(false);
                return (reader.RowGroupCount, (IReadOnlyList<string>)[.. reader.Schema.Fields.Select(f => f.Name)]);
            });
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException)
        {
            throw new DataFormatException(path, 0, null, $"not a readable Parquet file: {e.Message}", e);
        }
    }

    static IList<Dictionary<string, object?>> ParquetRowGroup(Stream stream, string path, ParquetOptions options, int group)
    {
        try
        {
            stream.Position = 0;
            var result = Synchronously(() => ParquetSerializer.DeserializeUntypedAsync(stream, options, group));
            // Parquet.Net hands strings and binary over as ReadOnlyMemory unless a process-wide switch says otherwise;
            // converting here leaves that switch alone.
            return [.. result.Data.Select(r => r.ToDictionary(p => p.Key, p => Plain(p.Value), StringComparer.Ordinal))];
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException)
        {
            throw new DataFormatException(path, 0, null, $"row group {group + 1} cannot be read: {e.Message}", e, "row");
        }
    }

    /// <summary>Parquet.Net is async-only; readers here are plain enumerables (notebooks and pipelines foreach them).
    /// Running the work on the thread pool keeps a caller's synchronization context from deadlocking it.</summary>
    static T Synchronously<T>(Func<Task<T>> work) => Task.Run(work).GetAwaiter().GetResult();

    static object? Plain(object? value) => value switch
    {
        ReadOnlyMemory<char> text => text.ToString(),
        ReadOnlyMemory<byte> bytes => bytes.ToArray(),
        _ => value,
    };

    /// <summary>A cell as invariant text: what a metadata value must be so it reads the same on every machine.</summary>
    internal static string? InvariantText(object? value) => value switch
    {
        null => null,
        string text => text,
        bool flag => flag ? "true" : "false",
        DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.ToString("O", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => JsonSerializer.Serialize(value),
    };

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

    static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

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

    static void BadRow(ReadOptions options, string file, long row, string field, string reason, IReadOnlyDictionary<string, object?> record)
    {
        if (options.OnBadRecord == BadRecordPolicy.Fail)
            throw new DataFormatException(file, row, field, reason, unit: "row");
        var raw = record.ToDictionary(p => p.Key, p => InvariantText(p.Value));
        options.Rejects!.Write("load", $"row {row}: {reason}", file, row, field, text: JsonSerializer.Serialize(raw));
    }

    static ReadOptions Checked(ReadOptions? options)
    {
        options ??= new ReadOptions();
        if (options.OnBadRecord == BadRecordPolicy.Reject && options.Rejects is null)
            throw new ArgumentException("BadRecordPolicy.Reject needs a RejectsWriter to send the records to.", nameof(options));
        return options;
    }
}
