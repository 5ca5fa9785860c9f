using System.Globalization;
using System.Text;
using LlmOps.Core.Tokenization;

namespace LlmOps.Core.Display;

/// <summary>The tokenizer stage's records as text: the console and text/plain show these; the HTML forms colour the
/// same spans and draw the same table.</summary>
public static class TokenText
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The counts line of a token view: tokens, characters, bytes, bytes per token.</summary>
    public static string Counts(TokenView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return string.Create(Invariant, $"{view.Tokenizer}: {view.TokenCount:N0} tokens, {view.Characters:N0} characters, {view.Bytes:N0} bytes, {view.BytesPerToken:F2} bytes/token");
    }

    /// <summary>A span's text with whitespace made visible (space ·, newline ↵, tab →), so token boundaries at spaces show.</summary>
    public static string Visible(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var visible = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            visible.Append(c switch
            {
                ' ' => "·",
                '\n' => "↵",
                '\r' => "␍",
                '\t' => "→",
                _ => c.ToString(),
            });
        }
        return visible.ToString();
    }

    /// <summary>The view as text: counts, then the spans separated by │, then their ids.</summary>
    public static string View(TokenView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return Counts(view) + "\n" +
            string.Join("│", view.Spans.Select(s => Visible(s.Text))) + "\n" +
            "ids: " + string.Join(" ", view.Spans.Select(s => string.Join("+", s.Ids.Select(i => i.ToString(Invariant))))) + "\n";
    }

    /// <summary>One row per tokenizer of a comparison.</summary>
    public static TextTable Comparison(TokenizerComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        return new TextTable(
            string.Create(Invariant, $"Tokenizers on {comparison.Texts:N0} text(s): {comparison.Words:N0} words, {comparison.Characters:N0} characters, {comparison.Bytes:N0} bytes"),
            ["tokenizer", "tokens", "tokens/word", "bytes/token", "chars/token"],
            [.. comparison.Scores.Select(s => new[]
            {
                s.Name, s.Tokens.ToString("N0", Invariant), s.TokensPerWord.ToString("F2", Invariant),
                s.BytesPerToken.ToString("F2", Invariant), s.CharactersPerToken.ToString("F2", Invariant),
            })]);
    }

    /// <summary>One progress line of BPE training.</summary>
    public static string Text(BpeTrainingProgress p) => string.Create(Invariant,
        $"BPE {p?.Phase}: {p!.Megabytes:F1} MB counted, {p.MergesDone:N0}/{p.MergesTotal:N0} merges, {p.ElapsedSeconds:F1} s");

    /// <summary>One progress line of sharding.</summary>
    public static string Text(Tokenization.Shards.ShardingProgress p) => string.Create(Invariant,
        $"sharding: {p?.Documents:N0} documents, {p!.Tokens:N0} tokens in {p.Shards} shard(s), {p.MegabytesPerSecond:F1} MB/s, {p.ElapsedSeconds:F1} s");
}
