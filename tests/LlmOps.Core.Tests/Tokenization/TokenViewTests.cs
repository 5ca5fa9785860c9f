using LlmOps.Core.Display;
using LlmOps.Core.Tokenization;

namespace LlmOps.Core.Tests.Tokenization;

public class TokenViewTests
{
    static readonly Microsoft.ML.Tokenizers.Tokenizer O200k = TokenizerFactory.ForEncoding("o200k_base");

    [Fact]
    public void Counts_are_code_points_utf8_bytes_and_tokens()
    {
        var view = TokenView.Of(O200k, "o200k_base", "héllo 🦙");

        Assert.Equal(7, view.Characters);   // the llama is one code point (two UTF-16 units)
        Assert.Equal(11, view.Bytes);       // h é(2) l l o space 🦙(4)
        Assert.Equal(O200k.CountTokens("héllo 🦙"), view.TokenCount);
        Assert.Equal(11.0 / view.TokenCount, view.BytesPerToken, 9);
        Assert.Equal("héllo 🦙", string.Concat(view.Spans.Select(s => s.Text)));
    }

    [Fact]
    public void A_character_split_into_byte_tokens_is_one_span_with_all_its_ids()
    {
        // U+1FAE8 (shaking face, Unicode 15) is too rare for a single token: o200k spells it with several byte tokens.
        string text = "a \U0001FAE8 b";
        var view = TokenView.Of(O200k, "o200k_base", text);

        Assert.True(view.TokenCount > view.Spans.Count, $"{view.TokenCount} tokens, {view.Spans.Count} spans");
        var emoji = Assert.Single(view.Spans, s => s.Text.Contains('\uD83E', StringComparison.Ordinal));
        Assert.True(emoji.Ids.Count > 1);
        Assert.Equal(text, string.Concat(view.Spans.Select(s => s.Text)));
        Assert.Equal(view.Tokens.Select(t => t.Id), view.Spans.SelectMany(s => s.Ids));
        Assert.Equal(emoji.Text, O200k.Decode(emoji.Ids));
    }

    [Fact]
    public void The_text_form_shows_spans_with_visible_whitespace_and_their_ids()
    {
        var view = TokenView.Of(O200k, "o200k_base", "Hi there\nyou");
        string text = TokenText.View(view);

        Assert.StartsWith("o200k_base: ", text, StringComparison.Ordinal);
        Assert.Contains("bytes/token", text, StringComparison.Ordinal);
        Assert.Contains("·there", text, StringComparison.Ordinal);
        Assert.Contains("↵", text, StringComparison.Ordinal);
        Assert.Contains("ids: " + string.Join(" ", O200k.EncodeToIds("Hi there\nyou")), text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_comparison_counts_tokens_per_word_and_bytes_per_token_for_each_tokenizer()
    {
        string[] texts = ["The quick brown fox jumps over the lazy dog.", "Tokenizers differ on code: for (int i = 0; i < n; i++) { }"];
        var comparison = TokenizerComparison.Of([("o200k_base", O200k), ("cl100k_base", TokenizerFactory.ForEncoding("cl100k_base"))], texts);

        Assert.Equal(2, comparison.Texts);
        Assert.Equal(9 + 15, comparison.Words);
        Assert.Equal(texts.Sum(t => t.Length), comparison.Bytes);
        Assert.Equal(["o200k_base", "cl100k_base"], comparison.Scores.Select(s => s.Name));
        var o200k = comparison.Scores[0];
        Assert.Equal(texts.Sum(t => O200k.CountTokens(t)), o200k.Tokens);
        Assert.Equal((double)o200k.Tokens / comparison.Words, o200k.TokensPerWord, 9);
        Assert.Equal((double)comparison.Bytes / o200k.Tokens, o200k.BytesPerToken, 9);
        string text = TokenText.Comparison(comparison).ToText();
        Assert.Contains("tokens/word", text, StringComparison.Ordinal);
        Assert.Contains("cl100k_base", text, StringComparison.Ordinal);
    }
}
