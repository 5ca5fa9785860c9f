using System.Text;
using Microsoft.ML.Tokenizers;

namespace LlmOps.Core.Tokenization;

/// <summary>One token as the tokenizer produced it.</summary>
/// <param name="Id">Vocabulary id.</param>
/// <param name="Value">The tokenizer's string for it (for a token holding part of a character's UTF-8 bytes, the whole character).</param>
/// <param name="Start">Offset of its text in the input (UTF-16 units).</param>
/// <param name="Length">Length of its text in the input; tokens splitting one character share that character's range.</param>
public sealed record TokenPiece(int Id, string Value, int Start, int Length);

/// <summary>
/// A stretch of the input that one or more tokens cover: usually one token, but a character whose UTF-8 bytes the
/// tokenizer split (an emoji, a rare CJK character) is one span with several ids, so it is shown once and whole rather
/// than as broken halves.
/// </summary>
/// <param name="Text">The input text of the span.</param>
/// <param name="Start">Offset in the input (UTF-16 units).</param>
/// <param name="Ids">The ids of the tokens covering it, in order.</param>
public sealed record TokenSpan(string Text, int Start, IReadOnlyList<int> Ids);

/// <summary>
/// A text cut into its tokens, for looking at what a tokenizer does to real text: the spans with their ids, and the
/// counts that matter for cost and context length (bytes per token is the usual compression measure).
/// </summary>
/// <param name="Tokenizer">Name of the tokenizer.</param>
/// <param name="Text">The input.</param>
/// <param name="Tokens">Every token in order.</param>
/// <param name="Spans">The input cut at token boundaries, split characters grouped.</param>
/// <param name="Characters">Unicode code points in the input (an emoji is one).</param>
/// <param name="Bytes">UTF-8 bytes in the input.</param>
public sealed record TokenView(string Tokenizer, string Text, IReadOnlyList<TokenPiece> Tokens, IReadOnlyList<TokenSpan> Spans, int Characters, int Bytes)
{
    /// <summary>Number of tokens.</summary>
    public int TokenCount => Tokens.Count;

    /// <summary>UTF-8 bytes per token (0 for empty text).</summary>
    public double BytesPerToken => Tokens.Count == 0 ? 0 : (double)Bytes / Tokens.Count;

    /// <summary>Encodes <paramref name="text"/> with offsets and groups tokens that cover the same characters.</summary>
    public static TokenView Of(Tokenizer tokenizer, string tokenizerName, string text)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(text);
        var encoded = tokenizer.EncodeToTokens(text, out string? normalized);
        // Offsets refer to the normalized text when the tokenizer normalizes; show that text then.
        string shown = normalized ?? text;
        var tokens = encoded.Select(t => new TokenPiece(t.Id, t.Value, t.Offset.Start.Value, t.Offset.End.Value - t.Offset.Start.Value)).ToList();
        return new TokenView(tokenizerName, shown, tokens, Group(shown, tokens), shown.EnumerateRunes().Count(), Encoding.UTF8.GetByteCount(shown));
    }

    /// <summary>Tokens whose ranges overlap (the byte tokens of one character) become one span; text no token covers
    /// (should a tokenizer drop some) joins the span before it, so the spans always spell the whole input.</summary>
    static List<TokenSpan> Group(string text, List<TokenPiece> tokens)
    {
        var spans = new List<TokenSpan>();
        int start = 0, end = 0;
        var ids = new List<int>();
        foreach (var token in tokens)
        {
            int tokenEnd = Math.Min(text.Length, token.Start + token.Length);
            if (ids.Count > 0 && token.Start >= end)
            {
                spans.Add(new TokenSpan(text[start..token.Start], start, ids));
                ids = [];
                start = token.Start;
            }
            ids.Add(token.Id);
            end = Math.Max(end, tokenEnd);
        }
        if (ids.Count > 0)
            spans.Add(new TokenSpan(text[start..], start, ids));
        return spans;
    }
}
