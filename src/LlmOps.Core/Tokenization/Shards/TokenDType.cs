namespace LlmOps.Core.Tokenization.Shards;

/// <summary>
/// How token ids are stored in a shard. Two bytes halve the disk and page-cache cost of a corpus whenever the ids fit
/// (GPT-2's 50,257 do; o200k_base's 200,019 do not), which is why the writer picks the narrowest type by vocab size.
/// </summary>
public enum TokenDType
{
    /// <summary>Raw little-endian unsigned 16-bit ids: vocabularies of at most 65,536 tokens.</summary>
    U16,

    /// <summary>Raw little-endian unsigned 32-bit ids: larger vocabularies.</summary>
    U32,
}
