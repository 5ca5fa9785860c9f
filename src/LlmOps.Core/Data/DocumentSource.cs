namespace LlmOps.Core.Data;

/// <summary>
/// One entry point for "read this path as documents", so notebooks and the CLI need not know which reader fits.
/// With <see cref="DocumentFormat.Auto"/> the rule is:
/// <list type="bullet">
/// <item>a file, by its extension: <c>.jsonl</c>/<c>.ndjson</c> JSON Lines, <c>.csv</c> CSV, <c>.parquet</c> Parquet,
/// <c>.json</c> one JSON record (name the format Jsonl for JSON Lines saved as .json), <c>.eml</c> an email, and
/// <c>.txt</c> an email when it starts like one (see <see cref="EmailMessage.LooksLikeEmail"/>), else plain text;</item>
/// <item>a folder, by the files under it (all depths): any <c>.eml</c> makes it an email folder; else, with <c>.txt</c>
/// files, the first of them in name order decides between email and plain text the same way; else <c>.json</c> files
/// make it a folder of JSON records. Only the files of the chosen format are read (an email folder reads .eml and .txt,
/// a text folder .txt, a records folder .json), so side files such as the SpamAssassin package's .json twins of its
/// emails are not mistaken for documents.</item>
/// </list>
/// An explicit <see cref="ReadOptions.Format"/> skips the guessing. Like the readers, the result streams.
/// </summary>
public static class DocumentSource
{
    /// <summary>How many bytes of a .txt file are looked at to tell an email from plain text.</summary>
    const int SniffBytes = 64 * 1024;

    /// <summary>Opens <paramref name="path"/> (a file or a folder) with the reader its format calls for.</summary>
    /// <exception cref="FileNotFoundException">Nothing is at <paramref name="path"/>.</exception>
    /// <exception cref="DataFormatException">The format cannot be told or does not fit the path; the message names the path.</exception>
    public static IEnumerable<Document> Open(string path, ReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new ReadOptions();
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            return OpenFolder(full, options);
        if (!File.Exists(full))
            throw new FileNotFoundException($"No file or folder at {full}.", full);

        var format = options.Format == DocumentFormat.Auto ? FormatOfFile(full) : options.Format;
        string folder = Path.GetDirectoryName(full)!;
        var named = options with { Source = options.Source ?? Path.GetFileNameWithoutExtension(full) };
        return format switch
        {
            DocumentFormat.Jsonl => DocumentReader.ReadJsonl(full, named),
            DocumentFormat.Csv => DocumentReader.ReadCsv(full, named),
            DocumentFormat.Parquet => DocumentReader.ReadParquet(full, named),
            DocumentFormat.Text => DocumentReader.ReadTextFiles([full], folder, named),
            DocumentFormat.Email => DocumentReader.ReadEmails([full], folder, named),
            DocumentFormat.JsonRecords => DocumentReader.ReadJsonRecords([full], folder, named),
            _ => throw new ArgumentOutOfRangeException(nameof(options), format, "unknown DocumentFormat"),
        };
    }

    static DocumentFormat FormatOfFile(string file) => Path.GetExtension(file).ToLowerInvariant() switch
    {
        ".jsonl" or ".ndjson" => DocumentFormat.Jsonl,
        ".csv" => DocumentFormat.Csv,
        ".parquet" => DocumentFormat.Parquet,
        ".json" => DocumentFormat.JsonRecords,
        ".eml" => DocumentFormat.Email,
        ".txt" => StartsLikeEmail(file) ? DocumentFormat.Email : DocumentFormat.Text,
        var other => throw new DataFormatException(file, 0, null,
            $"cannot tell the format from the extension '{other}'; known: .jsonl, .ndjson, .csv, .parquet, .json, .txt, .eml " +
            "(or set ReadOptions.Format)"),
    };

    static IEnumerable<Document> OpenFolder(string folder, ReadOptions options)
    {
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(folder, f).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
            .Order(StringComparer.Ordinal)
            .ToList();
        List<string> With(params string[] extensions) =>
            [.. files.Where(f => extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))];

        var format = options.Format;
        if (format == DocumentFormat.Auto)
        {
            var texts = With(".txt");
            format = With(".eml").Count > 0 ? DocumentFormat.Email
                : texts.Count > 0 ? (StartsLikeEmail(texts[0]) ? DocumentFormat.Email : DocumentFormat.Text)
                : With(".json").Count > 0 ? DocumentFormat.JsonRecords
                : throw new DataFormatException(folder, 0, null, "a folder with no .txt, .eml or .json files under it; cannot tell what to read (set ReadOptions.Format)");
        }
        return format switch
        {
            DocumentFormat.Email => DocumentReader.ReadEmails(With(".eml", ".txt"), folder, options),
            DocumentFormat.Text => DocumentReader.ReadTextFiles(With(".txt"), folder, options),
            DocumentFormat.JsonRecords => DocumentReader.ReadJsonRecords(With(".json"), folder, options),
            _ => throw new DataFormatException(folder, 0, null, $"is a folder; the {format} format reads one file (open the file itself)"),
        };
    }

    static bool StartsLikeEmail(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read);
        var buffer = new byte[(int)Math.Min(SniffBytes, stream.Length)];
        stream.ReadExactly(buffer);
        return EmailMessage.LooksLikeEmail(buffer);
    }
}
