using System.Text;
using System.Text.RegularExpressions;

namespace LlmOps.Core.Tokenization;

/// <summary>
/// A byte-level BPE tokenizer as data: what training produces, what a tokenizer folder holds, and what vocabulary
/// expansion changes. Ids form one space: trained ranks <c>0..Ranks.Count-1</c> (the first 256 are the single
/// bytes), then the special tokens, then domain tokens added after training. Encoding is tiktoken's: split text with
/// <see cref="Pattern"/>, then merge each chunk's bytes by lowest rank.
/// </summary>
/// <param name="Name">The tokenizer's name.</param>
/// <param name="Pattern">The pre-tokenization regex the ranks were trained with; encoding must use the same.</param>
/// <param name="Ranks">Token bytes by rank, in the order training created them.</param>
/// <param name="SpecialTokens">Control tokens, never produced from data unless the policy allows them.</param>
/// <param name="AddedTokens">Domain tokens added after training (ordinary tokens, encoded when a chunk equals them).</param>
/// <param name="MergeCount">Merges training applied; more than <c>Ranks.Count - 256</c> when a merge recreated bytes
/// that already were a token.</param>
/// <param name="TrainedOn">Id of the data manifest of the corpus the tokenizer was trained on, when known.</param>
public sealed record BpeTokenizerModel(
    string Name,
    string Pattern,
    IReadOnlyList<byte[]> Ranks,
    IReadOnlyList<VocabularyToken> SpecialTokens,
    IReadOnlyList<VocabularyToken> AddedTokens,
    int MergeCount,
    string? TrainedOn = null)
{
    /// <summary>Size of the id space (the embedding rows a model needs): one more than the largest id.</summary>
    public int VocabSize => Math.Max(Ranks.Count,
        Math.Max(SpecialTokens.Count == 0 ? 0 : SpecialTokens.Max(t => t.Id) + 1, AddedTokens.Count == 0 ? 0 : AddedTokens.Max(t => t.Id) + 1));

    /// <summary>The pattern as a compiled regex, with the options every reader of a tokenizer folder uses.</summary>
    public Regex CreateRegex() => CreatePatternRegex(Pattern);

    /// <summary>Every ordinary token (trained ranks, then added tokens) with its id, in id order: the lines of
    /// <c>ranks.tiktoken</c>.</summary>
    public IEnumerable<(byte[] Bytes, int Id)> OrdinaryTokens()
    {
        for (int rank = 0; rank < Ranks.Count; rank++)
            yield return (Ranks[rank], rank);
        foreach (var added in AddedTokens.OrderBy(t => t.Id))
            yield return (Encoding.UTF8.GetBytes(added.Text), added.Id);
    }

    /// <summary>The one way a pattern string becomes a regex (compiled; culture-invariant so case-insensitive parts
    /// behave the same on every machine).</summary>
    internal static Regex CreatePatternRegex(string pattern) =>
        new(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);
}
