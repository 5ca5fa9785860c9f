using System.Text.RegularExpressions;
using LlmOps.Core.Tokenization;

namespace LlmOps.Core.Tests.Tokenization;

public class LlmTokenizerTests
{
    const string Text = "Hello <|endoftext|> world";

    public static TheoryData<string> Tokenizers => ["o200k_base", "cl100k_base", "trained"];

    static LlmTokenizer Get(string name) =>
        name == "trained" ? LlmTokenizer.FromModel(TokenizationSamples.Small.Model) : new TokenizerRegistry().Get(name);

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void Special_token_text_is_plain_text_unless_allowed_and_an_error_when_disallowed(string name)
    {
        var tokenizer = Get(name);
        int endOfText = tokenizer.SpecialTokens["<|endoftext|>"];

        int[] plain = tokenizer.Encode(Text);
        int[] allowed = tokenizer.Encode(Text, SpecialTokenPolicy.Allowed);
        var error = Assert.Throws<ArgumentException>(() => tokenizer.Encode(Text, SpecialTokenPolicy.Disallowed));

        Assert.DoesNotContain(endOfText, plain);
        Assert.Equal(plain, tokenizer.Encode(Text, SpecialTokenPolicy.PlainText));
        Assert.Equal(Text, tokenizer.Decode(plain));
        Assert.Single(allowed, endOfText);
        Assert.Equal(Text, tokenizer.Decode(allowed));
        Assert.True(plain.Length > allowed.Length);
        Assert.Contains("'<|endoftext|>' at character 6", error.Message, StringComparison.Ordinal);
        Assert.Equal(tokenizer.Encode("Hello world"), tokenizer.Encode("Hello world", SpecialTokenPolicy.Disallowed));
        Assert.Equal(plain.Length, tokenizer.CountTokens(Text));
        Assert.Equal(allowed.Length, tokenizer.CountTokens(Text, SpecialTokenPolicy.Allowed));
    }

    [Fact]
    public void Plain_text_encoding_matches_tiktoken_known_ids()
    {
        // tiktoken: enc.encode("hello world") and enc.encode_ordinary("<|endoftext|>") for o200k_base and cl100k_base.
        var o200k = new TokenizerRegistry().Get("o200k_base");
        var cl100k = new TokenizerRegistry().Get("cl100k_base");

        Assert.Equal([24912, 2375], o200k.Encode("hello world"));
        Assert.Equal([15339, 1917], cl100k.Encode("hello world"));
        Assert.Equal([100257], cl100k.Encode("<|endoftext|>", SpecialTokenPolicy.Allowed));
        Assert.Equal([27, 91, 8862, 728, 428, 91, 29], cl100k.Encode("<|endoftext|>"));
        Assert.Equal(200019, o200k.VocabSize);
        Assert.Equal(100277, cl100k.VocabSize);
    }

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void Decode_of_encode_gives_back_any_valid_unicode_string(string name)
    {
        var tokenizer = Get(name);
        var random = new Random(20240611);
        for (int i = 0; i < 300; i++)
        {
            string text = TokenizationSamples.RandomUnicode(random);
            foreach (var policy in new[] { SpecialTokenPolicy.PlainText, SpecialTokenPolicy.Allowed })
            {
                int[] ids = tokenizer.Encode(text, policy);
                Assert.Equal(text, tokenizer.Decode(ids));
                Assert.Equal(text, tokenizer.Tokenizer.Decode(ids));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void Lone_surrogates_come_back_as_the_replacement_character(string name)
    {
        var tokenizer = Get(name);

        Assert.Equal("a\uFFFDb", tokenizer.Decode(tokenizer.Encode("a\uD800b")));
        Assert.Equal("\uFFFD", tokenizer.Decode(tokenizer.Encode("\uDC00")));
        Assert.Equal("\uFFFD\uFFFD x", tokenizer.Decode(tokenizer.Encode("\uDC00\uD83D x")));
        Assert.Equal("🙂\uFFFD", tokenizer.Decode(tokenizer.Encode("🙂\uD83D")));
    }

    [Fact]
    public void Decoding_part_of_a_character_gives_the_replacement_character_and_unknown_ids_are_named()
    {
        var tokenizer = Get("trained");
        int[] ids = tokenizer.Encode("🦀"); // four bytes the small vocabulary never merged

        Assert.True(ids.Length > 1);
        Assert.Equal("\uFFFD", tokenizer.Decode(ids.AsSpan(0, 1)));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Decode([65, 600]));
        Assert.Contains("position 1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("o200k_base", PreTokenizerPatterns.O200kBase)]
    [InlineData("cl100k_base", PreTokenizerPatterns.Cl100kBase)]
    public void Our_patterns_split_text_exactly_as_the_packaged_tokenizers_do(string name, string pattern)
    {
        var packaged = Microsoft.ML.Tokenizers.TiktokenTokenizer.CreateForEncoding(name).PreTokenizer!;
        var regex = new Regex(pattern, RegexOptions.CultureInvariant);
        var random = new Random(5);
        for (int i = 0; i < 300; i++)
        {
            string text = TokenizationSamples.RandomUnicode(random).Replace("<|endoftext|>", "<|x|>", StringComparison.Ordinal);
            Assert.Equal(packaged.PreTokenize(text).Select(r => (r.Offset, r.Length)), regex.Matches(text).Select(m => (m.Index, m.Length)));
        }
    }
}
