using LlmOps.Core.Data;

namespace LlmOps.Core.Tokenization.Shards;

/// <summary>What a sharding run wrote and how fast it went.</summary>
/// <param name="Folder">The output folder.</param>
/// <param name="Index">The index written to <paramref name="IndexPath"/>.</param>
/// <param name="IndexPath">Where the index is; open it with <see cref="TokenDataset.Open"/>.</param>
/// <param name="Manifest">The <c>shard</c> data manifest: inputs with hashes, tokenizer and source manifest, shards by
/// hash. Its id is what a checkpoint names as its data.</param>
/// <param name="ManifestPath">Where the manifest is.</param>
/// <param name="TextBytes">UTF-8 bytes of text encoded.</param>
/// <param name="SeparatorsInText">Separator ids the encoder produced inside documents (text that spells the end-of-text
/// token); non-zero means document boundaries are ambiguous and the encoder should encode special tokens as text.</param>
/// <param name="ElapsedSeconds">Wall time of the whole run.</param>
public sealed record ShardingResult(
    string Folder,
    ShardIndex Index,
    string IndexPath,
    DataManifest Manifest,
    string ManifestPath,
    long TextBytes,
    long SeparatorsInText,
    double ElapsedSeconds)
{
    /// <summary>Documents written.</summary>
    public long Documents => Index.TotalDocuments;

    /// <summary>Tokens written (separators included).</summary>
    public long Tokens => Index.TotalTokens;

    /// <summary>Text throughput in megabytes (10^6 bytes) per second.</summary>
    public double MegabytesPerSecond => ElapsedSeconds > 0 ? TextBytes / 1e6 / ElapsedSeconds : 0;

    /// <summary>Token throughput.</summary>
    public double TokensPerSecond => ElapsedSeconds > 0 ? Tokens / ElapsedSeconds : 0;

    /// <summary>UTF-8 bytes per token (separators excluded): the tokenizer's compression on this corpus.</summary>
    public double BytesPerToken => Tokens > Documents ? (double)TextBytes / (Tokens - Documents) : 0;
}
