using System.Text.Json;
using System.Text.Json.Serialization;
using LlmOps.Core.IO;

namespace LlmOps.Core.Tokenization.Shards;

/// <summary>
/// <c>index.json</c> of a sharded split: everything a reader needs to interpret the raw shard files (which carry no
/// header, so nanoGPT-style <c>np.memmap</c> reads them too) and the provenance a checkpoint records. It is written last
/// and atomically, so a folder with an index is a complete corpus and one without is an interrupted run.
/// </summary>
/// <param name="FormatVersion">The layout's version; readers refuse versions they do not know.</param>
/// <param name="DType">How ids are stored: <c>uint16</c> or <c>uint32</c>, little-endian.</param>
/// <param name="VocabSize">The tokenizer's vocabulary size (ids are below it).</param>
/// <param name="SeparatorId">The end-of-text id that follows every document.</param>
/// <param name="Tokenizer">The tokenizer's name.</param>
/// <param name="SourceManifestId">The data manifest the documents came from, when known.</param>
/// <param name="Shards">The shard files, in corpus order.</param>
/// <param name="TotalTokens">Tokens in all shards (separators included).</param>
/// <param name="TotalDocuments">Documents in all shards.</param>
public sealed record ShardIndex(
    [property: JsonPropertyName("format_version")] int FormatVersion,
    [property: JsonPropertyName("dtype")] string DType,
    [property: JsonPropertyName("vocab_size")] int VocabSize,
    [property: JsonPropertyName("separator_id")] int SeparatorId,
    [property: JsonPropertyName("tokenizer")] string Tokenizer,
    [property: JsonPropertyName("source_manifest_id")] string? SourceManifestId,
    [property: JsonPropertyName("shards")] IReadOnlyList<ShardEntry> Shards,
    [property: JsonPropertyName("total_tokens")] long TotalTokens,
    [property: JsonPropertyName("total_documents")] long TotalDocuments)
{
    /// <summary>The index's file name inside a shard folder.</summary>
    public const string FileName = "index.json";

    /// <summary>The layout this code writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    /// <summary>The storage type <see cref="DType"/> names.</summary>
    /// <exception cref="InvalidDataException">The index names a type this code does not know.</exception>
    [JsonIgnore]
    public TokenDType StorageType => DType switch
    {
        "uint16" => TokenDType.U16,
        "uint32" => TokenDType.U32,
        _ => throw new InvalidDataException($"Unknown shard dtype '{DType}' (expected uint16 or uint32)."),
    };

    /// <summary>Bytes per token on disk.</summary>
    [JsonIgnore]
    public int BytesPerToken => StorageType == TokenDType.U16 ? sizeof(ushort) : sizeof(uint);

    /// <summary>The name <see cref="DType"/> records for <paramref name="type"/> (NumPy's spelling, for Python readers).</summary>
    public static string DTypeName(TokenDType type) => type == TokenDType.U16 ? "uint16" : "uint32";

    /// <summary>Writes the index atomically.</summary>
    public Task SaveAsync(string path, CancellationToken cancellationToken = default) =>
        AtomicFile.WriteAllTextAsync(path, JsonSerializer.Serialize(this, Options) + "\n", cancellationToken);

    /// <summary>Reads an index and checks that it is self-consistent.</summary>
    /// <exception cref="FileNotFoundException">No index: the folder is not a sharded split, or its run did not finish.</exception>
    /// <exception cref="InvalidDataException">The file is not an index of a version this code reads.</exception>
    public static ShardIndex Load(string path)
    {
        if (!System.IO.File.Exists(path))
            throw new FileNotFoundException($"{path}: no shard index; the folder is not a sharded split, or its sharding run did not finish.", path);
        ShardIndex? index;
        try
        {
            index = JsonSerializer.Deserialize<ShardIndex>(System.IO.File.ReadAllText(path), Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a shard index ({e.Message}).", e);
        }
        if (index?.Shards is null || index.DType is null || index.Tokenizer is null)
            throw new InvalidDataException($"{path}: not a shard index (missing shards, dtype or tokenizer).");
        if (index.FormatVersion != CurrentFormatVersion)
            throw new InvalidDataException($"{path}: shard format version {index.FormatVersion}; this code reads version {CurrentFormatVersion}.");
        try
        {
            _ = index.StorageType;
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
        if (index.Shards.Sum(s => s.Tokens) != index.TotalTokens || index.Shards.Sum(s => s.Documents) != index.TotalDocuments)
            throw new InvalidDataException($"{path}: the shard counts do not add up to the totals; the index was edited.");
        return index;
    }
}
