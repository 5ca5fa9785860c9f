using LlmOps.Core.Datasets;

namespace LlmOps.Core.Data;

/// <summary>
/// What a data command reads, named the way users name it: a catalog dataset (<c>spam-assassin</c>, fetched into the
/// local cache on first use and reused offline) or a path to a file or folder (read by <see cref="DocumentSource"/>).
/// </summary>
/// <param name="Name">A short name for reports (the dataset name, or the file or folder name).</param>
/// <param name="Path">The file or folder the documents come from, for the run manifest.</param>
/// <param name="Label">How manifests name it, the same on every machine: <c>dataset:NAME@VERSION</c>, or the path as given.</param>
/// <param name="Documents">The documents, streamed.</param>
public sealed record CorpusInput(string Name, string Path, string Label, IEnumerable<Document> Documents)
{
    /// <summary>Opens <paramref name="spec"/>: an existing path wins; otherwise it must be a catalog dataset name.</summary>
    /// <exception cref="FileNotFoundException">Neither a path nor a dataset; the message lists the datasets.</exception>
    public static async Task<CorpusInput> OpenAsync(string spec, ReadOptions? options = null, string? cacheRoot = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        if (File.Exists(spec) || Directory.Exists(spec))
        {
            string full = System.IO.Path.GetFullPath(spec);
            return new CorpusInput(System.IO.Path.GetFileNameWithoutExtension(full.TrimEnd('/', '\\')), full, spec, DocumentSource.Open(full, options));
        }
        var catalog = DatasetCatalog.Default();
        var entry = catalog.Entries.FirstOrDefault(e => e.Name == spec)
            ?? throw new FileNotFoundException(
                $"'{spec}' is neither a file or folder nor a dataset in the catalog ({string.Join(", ", catalog.Entries.Select(e => e.Name))}).", spec);
        var dataset = await new DatasetFetcher(cacheRoot ?? DatasetFetcher.DefaultCacheRoot()).FetchAsync(entry, cancellationToken).ConfigureAwait(false);
        return new CorpusInput(entry.Name, System.IO.Path.Combine(dataset.Folder, "package"), $"dataset:{entry.Name}@{entry.Version}", DocumentReader.Read(dataset, options));
    }
}
