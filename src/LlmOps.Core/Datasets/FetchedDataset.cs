namespace LlmOps.Core.Datasets;

/// <summary>A dataset on local disk, checked against its catalog entry.</summary>
/// <param name="Entry">The catalog entry.</param>
/// <param name="Folder">The cache folder holding the unpacked package (its files are under <c>package/</c>).</param>
/// <param name="DataFiles">The files matching the entry's data glob, sorted.</param>
/// <param name="Bytes">Their total size.</param>
/// <param name="FromCache">True when nothing was downloaded: the checked copy in the cache was reused (works offline).</param>
public sealed record FetchedDataset(DatasetEntry Entry, string Folder, IReadOnlyList<string> DataFiles, long Bytes, bool FromCache)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{Entry.Name} ({Entry.Spec}): {DataFiles.Count} data files, {Bytes / 1e6:F1} MB in {Folder}{(FromCache ? " (cached)" : "")}";
}
