namespace LlmOps.Core.Tokenization.Shards;

/// <summary>How a split is cut into token shards.</summary>
/// <param name="OutputFolder">Where the shards, <c>index.json</c> and <c>manifest.json</c> go. One sharded split per
/// folder: a run first removes the folder's index, manifest and shards of this prefix, so it never mixes two corpora.</param>
/// <param name="Prefix">The split's name, which starts each shard's file name (<c>train-00000.bin</c>).</param>
/// <param name="MaxTokensPerShard">The most tokens a shard holds. The 64 Mi default keeps a uint16 shard at 128 MiB,
/// small enough to hash and copy one at a time, large enough that a big corpus is not thousands of files.</param>
/// <param name="DocumentsPerBatch">Documents read before a batch is encoded in parallel. Larger batches keep cores busy
/// on uneven document lengths; smaller ones hold less text in memory.</param>
/// <param name="MaxDegreeOfParallelism">Encoder threads; -1 uses every core.</param>
/// <param name="SourceManifestId">The id of the data manifest the documents came from (the cleaning or split run), so
/// the shards and every checkpoint trained on them name their data. When null, <see cref="TokenSharder.ShardJsonlAsync"/>
/// takes it from a <c>manifest.json</c> next to the input files.</param>
public sealed record ShardingOptions(
    string OutputFolder,
    string Prefix = "train",
    long MaxTokensPerShard = ShardingOptions.DefaultMaxTokensPerShard,
    int DocumentsPerBatch = 512,
    int MaxDegreeOfParallelism = -1,
    string? SourceManifestId = null)
{
    /// <summary>64 Mi tokens per shard.</summary>
    public const long DefaultMaxTokensPerShard = 64L << 20;

    /// <summary>Throws early (before any file is written) when the settings cannot work.</summary>
    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(OutputFolder);
        ArgumentException.ThrowIfNullOrWhiteSpace(Prefix);
        if (Prefix.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || Prefix.StartsWith('.'))
            throw new ArgumentException($"'{Prefix}' cannot start a file name.", nameof(Prefix));
        // int.MaxValue bytes bounds what one memory-mapped view must address on every platform's MemoryMappedFile.
        if (MaxTokensPerShard <= 0 || MaxTokensPerShard > int.MaxValue / sizeof(uint))
            throw new ArgumentOutOfRangeException(nameof(MaxTokensPerShard), MaxTokensPerShard, $"Shards hold 1 to {int.MaxValue / sizeof(uint)} tokens.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(DocumentsPerBatch);
        if (MaxDegreeOfParallelism == 0 || MaxDegreeOfParallelism < -1)
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "Use -1 for every core or a positive thread count.");
    }
}
