namespace LlmOps.Core.Tokenization;

/// <summary>
/// The pre-tokenization patterns of OpenAI's tiktoken encodings, written for .NET. Encoding must split text exactly as
/// the vocabulary was trained to; these let us encode with <see cref="SpecialTokenPolicy.PlainText"/> (no special
/// splitting) and train new tokenizers that chunk like GPT-4 or GPT-4o. Tests check each splits text exactly as the
/// matching Microsoft.ML.Tokenizers tokenizer does.
/// </summary>
public static class PreTokenizerPatterns
{
    /// <summary>GPT-4's (cl100k_base): tiktoken's pattern with its possessive quantifiers as .NET atomic groups.
    /// Chunks are contractions, letters with at most one leading non-letter, numbers in groups of at most three,
    /// punctuation runs with their newlines, and whitespace.</summary>
    public const string Cl100kBase =
        @"'(?i:[sdmt]|ll|ve|re)|(?>[^\r\n\p{L}\p{N}]?)(?>\p{L}+)|(?>\p{N}{1,3})| ?(?>[^\s\p{L}\p{N}]+)(?>[\r\n]*)|(?>\s+)$|\s*[\r\n]|\s+(?!\S)|\s";

    /// <summary>GPT-4o's (o200k_base): like cl100k's, but words split at case changes and keep their contractions.</summary>
    public const string O200kBase =
        @"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+";
}
