namespace LlmOps.Core.Tokenization.Shards;

/// <summary>
/// What sharding needs from a tokenizer, and nothing more, so any tokenizer (a trained BPE, tiktoken's o200k_base, a
/// test's toy encoder) can shard a corpus without this code depending on its type.
/// </summary>
/// <param name="Name">The tokenizer's name as the index and manifest record it (for example <c>o200k_base</c>), so a
/// checkpoint can say which vocabulary its ids belong to.</param>
/// <param name="Encode">Text to ids. It should encode documents as ordinary text (tiktoken's <c>encode_ordinary</c>): if
/// it maps text to the separator id, the document boundary becomes ambiguous (the result counts such ids). It is called
/// from several threads at once, so it must be thread-safe (ML.Tokenizers' tokenizers are).</param>
/// <param name="VocabSize">One more than the largest id the encoder can return (special tokens included); picks the
/// <see cref="TokenDType"/>.</param>
/// <param name="SeparatorId">The end-of-text id appended after every document (nanoGPT style), so a model learns where
/// documents end and packed windows can span documents.</param>
public sealed record ShardEncoder(string Name, Func<string, int[]> Encode, int VocabSize, int SeparatorId)
{
    /// <summary>The largest vocabulary that <see cref="TokenDType.U16"/> holds.</summary>
    public const int MaxUInt16Vocab = 65536;

    /// <summary>The storage type for this vocabulary: 16-bit when every id fits, else 32-bit.</summary>
    public TokenDType DType => DTypeFor(VocabSize);

    /// <summary>The narrowest storage type for a vocabulary of <paramref name="vocabSize"/> ids.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is not positive.</exception>
    public static TokenDType DTypeFor(int vocabSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocabSize);
        return vocabSize <= MaxUInt16Vocab ? TokenDType.U16 : TokenDType.U32;
    }

    /// <summary>Throws early (before any file is written) when the settings cannot describe a valid corpus.</summary>
    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Name);
        ArgumentNullException.ThrowIfNull(Encode);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(VocabSize);
        if (SeparatorId < 0 || SeparatorId >= VocabSize)
            throw new ArgumentOutOfRangeException(nameof(SeparatorId), SeparatorId, $"The separator id must be an id of the vocabulary (0..{VocabSize - 1}).");
    }
}
