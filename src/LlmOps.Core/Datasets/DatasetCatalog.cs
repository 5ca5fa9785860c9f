using System.Text.Json;

namespace LlmOps.Core.Datasets;

/// <summary>The datasets the project knows, read from <c>datasets/catalog.json</c>.</summary>
public sealed class DatasetCatalog
{
    static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    /// <summary>Creates a catalog of <paramref name="entries"/>.</summary>
    public DatasetCatalog(IEnumerable<DatasetEntry> entries) => Entries = [.. entries];

    /// <summary>Every dataset, in catalog order.</summary>
    public IReadOnlyList<DatasetEntry> Entries { get; }

    /// <summary>Reads the catalog file.</summary>
    /// <exception cref="DatasetException">The file is missing, not JSON, or an entry lacks a field; the message names the file.</exception>
    public static DatasetCatalog Load(string path)
    {
        if (!File.Exists(path))
            throw new DatasetException($"No dataset catalog at {path}.");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Reads a catalog from its JSON text; <paramref name="path"/> names it in errors.</summary>
    static DatasetCatalog Parse(string json, string path)
    {
        try
        {
            var file = JsonSerializer.Deserialize<CatalogFile>(json, Options)
                ?? throw new DatasetException($"{path}: empty catalog.");
            foreach (var (entry, index) in file.Datasets.Select((e, i) => (e, i)))
            {
                var missing = new[] { ("name", entry.Name), ("package", entry.Package), ("version", entry.Version), ("integrity", entry.Integrity), ("data", entry.Data), ("format", entry.Format) }
                    .Where(f => string.IsNullOrWhiteSpace(f.Item2)).Select(f => f.Item1).ToList();
                if (missing.Count > 0)
                    throw new DatasetException($"{path}: dataset {index + 1} ({entry.Name ?? "unnamed"}) lacks {string.Join(", ", missing)}.");
                if (!entry.Integrity.StartsWith("sha512-", StringComparison.Ordinal))
                    throw new DatasetException($"{path}: dataset '{entry.Name}' integrity must be a sha512- hash, not '{entry.Integrity}'.");
            }
            return new DatasetCatalog(file.Datasets);
        }
        catch (JsonException e)
        {
            throw new DatasetException($"{path}, line {(e.LineNumber ?? 0) + 1}: not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>The catalog that ships with the project: the path in <c>LLMOPS_DATASET_CATALOG</c>, else
    /// <c>datasets/catalog.json</c> above <paramref name="start"/> (default: the current folder), else the copy embedded
    /// in this assembly. The embedded copy makes dataset names work wherever the code runs: a notebook kernel started
    /// outside the repository, or a process whose current folder a notebook run has moved.</summary>
    public static DatasetCatalog Default(string? start = null)
    {
        if (Environment.GetEnvironmentVariable("LLMOPS_DATASET_CATALOG") is { Length: > 0 } configured)
            return Load(configured);
        for (var dir = new DirectoryInfo(start ?? Environment.CurrentDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "datasets", "catalog.json");
            if (File.Exists(candidate))
                return Load(candidate);
        }
        using var stream = typeof(DatasetCatalog).Assembly.GetManifestResourceStream(EmbeddedResource)
            ?? throw new DatasetException($"No datasets/catalog.json in {start ?? Environment.CurrentDirectory} or above, and none embedded; set LLMOPS_DATASET_CATALOG.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), $"{typeof(DatasetCatalog).Assembly.GetName().Name}:{EmbeddedResource}");
    }

    /// <summary>The name of the embedded copy of <c>datasets/catalog.json</c>.</summary>
    internal const string EmbeddedResource = "LlmOps.Core.Datasets.catalog.json";

    /// <summary>The entry named <paramref name="name"/>.</summary>
    /// <exception cref="DatasetException">No such dataset; the message lists the known ones.</exception>
    public DatasetEntry Find(string name) =>
        Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new DatasetException($"Unknown dataset '{name}'. Known: {string.Join(", ", Entries.Select(e => e.Name))}.");

    sealed record CatalogFile(List<DatasetEntry> Datasets);
}
