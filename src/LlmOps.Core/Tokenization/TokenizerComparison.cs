using System.Text;
using LlmOps.Core.Data;
using Microsoft.ML.Tokenizers;

namespace LlmOps.Core.Tokenization;

/// <summary>One tokenizer's counts over the compared texts.</summary>
/// <param name="Name">Tokenizer name.</param>
/// <param name="Tokens">Tokens over all texts.</param>
/// <param name="TokensPerWord">Tokens per whitespace word: the fertility that decides how much context a text costs.</param>
/// <param name="BytesPerToken">UTF-8 bytes per token: the compression a vocabulary achieves on this text.</param>
/// <param name="CharactersPerToken">Code points per token.</param>
public sealed record TokenizerScore(string Name, long Tokens, double TokensPerWord, double BytesPerToken, double CharactersPerToken);

/// <summary>
/// Several tokenizers on the same texts, so vocabularies compare on the text a project actually has rather than on
/// published averages (a tokenizer trained on English can double the tokens of code or another script).
/// </summary>
/// <param name="Texts">Number of texts.</param>
/// <param name="Words">Whitespace words in them (<see cref="TextUnits.Words"/>).</param>
/// <param name="Characters">Code points in them.</param>
/// <param name="Bytes">UTF-8 bytes in them.</param>
/// <param name="Scores">One row per tokenizer, in the order given.</param>
public sealed record TokenizerComparison(int Texts, long Words, long Characters, long Bytes, IReadOnlyList<TokenizerScore> Scores)
{
    /// <summary>Counts the tokens each tokenizer gives <paramref name="texts"/>.</summary>
    public static TokenizerComparison Of(IEnumerable<(string Name, Tokenizer Tokenizer)> tokenizers, IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(tokenizers);
        ArgumentNullException.ThrowIfNull(texts);
        var all = texts.ToList();
        long words = all.Sum(t => (long)TextUnits.Words(t).Length);
        long characters = all.Sum(t => (long)t.EnumerateRunes().Count());
        long bytes = all.Sum(t => (long)Encoding.UTF8.GetByteCount(t));
        var scores = tokenizers.Select(entry =>
        {
            long tokens = all.Sum(t => (long)entry.Tokenizer.CountTokens(t));
            return new TokenizerScore(entry.Name, tokens, Ratio(tokens, words), Ratio(bytes, tokens), Ratio(characters, tokens));
        }).ToList();
        return new TokenizerComparison(all.Count, words, characters, bytes, scores);
    }

    static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;
}
