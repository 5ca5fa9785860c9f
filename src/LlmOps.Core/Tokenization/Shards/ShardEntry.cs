using System.Text.Json.Serialization;

namespace LlmOps.Core.Tokenization.Shards;

/// <summary>One shard file as the index records it, so a reader can tell a complete shard from a truncated or swapped one.</summary>
/// <param name="File">The file name, relative to the index's folder (the folder can move).</param>
/// <param name="Tokens">Tokens it holds; its length is this times the dtype's width.</param>
/// <param name="Documents">Documents whose end (separator) falls in it; a long document may start in an earlier shard.</param>
/// <param name="Sha256">SHA-256 of the file, lower-case hex.</param>
public sealed record ShardEntry(
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("tokens")] long Tokens,
    [property: JsonPropertyName("documents")] long Documents,
    [property: JsonPropertyName("sha256")] string Sha256);
