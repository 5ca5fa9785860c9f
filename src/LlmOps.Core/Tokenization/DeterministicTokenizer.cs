using System.Buffers;
using Microsoft.ML.Tokenizers;

namespace LlmOps.Core.Tokenization;

/// <summary>
/// A tokenizer whose ids for a text never depend on what it encoded before. ML.Tokenizers 2.0.1's
/// <see cref="TiktokenTokenizer"/> knows its special tokens (<c>&lt;|endoftext|&gt;</c>, …) only as entries of its
/// per-instance LRU encode cache (8192 entries); once enough distinct other words pass through, the entry is evicted, the
/// special token's text is then byte-pair encoded as ordinary text (e.g. <c>&lt;|</c> <c>end</c> <c>of</c> …) and that
/// result is cached, so a long-lived instance silently changes the ids it gives the same document. This wrapper finds
/// special tokens itself, emits their ids, and hands only the text between them to the inner tokenizer, whose cache then
/// holds nothing but ordinary words (whose cached results are exact).
/// </summary>
/// <remarks>Use <see cref="TokenizerFactory"/> to get wrapped tiktoken encodings. Decoding is the inner tokenizer's.
/// Tokenizers with a normalizer are refused: offsets would then refer to normalized text, which this split cannot see.</remarks>
public sealed class DeterministicTokenizer : Tokenizer
{
    readonly Tokenizer inner;
    readonly KeyValuePair<string, int>[] specials;

    /// <summary>Wraps <paramref name="inner"/>, matching <paramref name="specialTokens"/> (text to id) before it sees the text.</summary>
    public DeterministicTokenizer(Tokenizer inner, IReadOnlyDictionary<string, int>? specialTokens)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (inner.Normalizer is not null)
            throw new ArgumentException("Tokenizers with a normalizer cannot be wrapped: special tokens are matched in the original text.", nameof(inner));
        this.inner = inner;
        // Longest first, so at one position the longer of two overlapping special tokens wins.
        specials = [.. (specialTokens ?? new Dictionary<string, int>()).Where(s => s.Key.Length > 0).OrderByDescending(s => s.Key.Length).ThenBy(s => s.Key, StringComparer.Ordinal)];
    }

    /// <summary>The wrapped tokenizer (its cache and instance state stay its own).</summary>
    public Tokenizer Inner => inner;

    /// <summary>The special tokens this matches, text to id.</summary>
    public IReadOnlyDictionary<string, int> SpecialTokens => specials.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);

    /// <inheritdoc/>
    public override PreTokenizer? PreTokenizer => inner.PreTokenizer;

    /// <inheritdoc/>
    protected override EncodeResults<EncodedToken> EncodeToTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        ReadOnlySpan<char> source = text is null ? textSpan : text.AsSpan();
        var tokens = new List<EncodedToken>();
        int consumed = 0;
        foreach (var (start, length, special) in Segments(source))
        {
            if (tokens.Count >= settings.MaxTokenCount)
                break;
            if (special >= 0)
            {
                tokens.Add(new EncodedToken(special, source.Slice(start, length).ToString(), new Range(start, start + length)));
                consumed = start + length;
                continue;
            }
            var part = inner.EncodeToTokens(source.Slice(start, length), out _, settings.ConsiderPreTokenization, considerNormalization: false);
            int room = settings.MaxTokenCount - tokens.Count;
            foreach (var token in part.Take(room))
                tokens.Add(new EncodedToken(token.Id, token.Value, new Range(token.Offset.Start.Value + start, token.Offset.End.Value + start)));
            consumed = part.Count <= room ? start + length : tokens[^1].Offset.End.Value;
        }
        return new EncodeResults<EncodedToken> { Tokens = tokens, NormalizedText = null, CharsConsumed = consumed };
    }

    /// <inheritdoc/>
    protected override EncodeResults<int> EncodeToIds(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        ReadOnlySpan<char> source = text is null ? textSpan : text.AsSpan();
        var ids = new List<int>();
        int consumed = 0;
        foreach (var (start, length, special) in Segments(source))
        {
            int room = settings.MaxTokenCount - ids.Count;
            if (room <= 0)
                break;
            if (special >= 0)
            {
                ids.Add(special);
                consumed = start + length;
                continue;
            }
            var part = inner.EncodeToIds(source.Slice(start, length), room, out _, out int partConsumed, settings.ConsiderPreTokenization, considerNormalization: false);
            ids.AddRange(part);
            consumed = start + partConsumed;
            if (partConsumed < length)
                break;
        }
        return new EncodeResults<int> { Tokens = ids, NormalizedText = null, CharsConsumed = consumed };
    }

    /// <inheritdoc/>
    protected override int CountTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings) =>
        EncodeToIds(text, textSpan, settings).Tokens.Count;

    /// <inheritdoc/>
    public override OperationStatus Decode(IEnumerable<int> ids, Span<char> destination, out int idsConsumed, out int charsWritten) =>
        inner.Decode(ids, destination, out idsConsumed, out charsWritten);

    /// <inheritdoc/>
    public override string Decode(IEnumerable<int> ids) => inner.Decode(ids) ?? "";

    /// <summary>The text cut at special tokens: (start, length, id) with id -1 for ordinary text; leftmost match first,
    /// longest at one position (as tiktoken's alternation of special tokens matches).</summary>
    List<(int Start, int Length, int Special)> Segments(ReadOnlySpan<char> text)
    {
        var segments = new List<(int, int, int)>();
        int position = 0;
        if (specials.Length > 0)
        {
            // Next occurrence of each special token at or after position (-1: none left); recomputed only when passed.
            int[] next = new int[specials.Length];
            for (int s = 0; s < specials.Length; s++)
                next[s] = text.IndexOf(specials[s].Key.AsSpan(), StringComparison.Ordinal);
            while (true)
            {
                int best = -1;
                for (int s = 0; s < specials.Length; s++)
                {
                    if (next[s] >= 0 && next[s] < position)
                    {
                        int found = text[position..].IndexOf(specials[s].Key.AsSpan(), StringComparison.Ordinal);
                        next[s] = found < 0 ? -1 : found + position;
                    }
                    if (next[s] >= 0 && (best < 0 || next[s] < next[best]))
                        best = s; // ties keep the earlier (longer) token
                }
                if (best < 0)
                    break;
                if (next[best] > position)
                    segments.Add((position, next[best] - position, -1));
                segments.Add((next[best], specials[best].Key.Length, specials[best].Value));
                position = next[best] + specials[best].Key.Length;
            }
        }
        if (position < text.Length)
            segments.Add((position, text.Length - position, -1));
        return segments;
    }
}
