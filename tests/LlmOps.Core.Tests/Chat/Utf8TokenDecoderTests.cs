using LlmOps.Core.Chat;
using LlmOps.Core.Tokenization;

namespace LlmOps.Core.Tests.Chat;

[Collection(ChatModelGroup.Name)]
public class Utf8TokenDecoderTests(ChatModelFixture fixture)
{
    [Fact]
    public void A_character_split_across_tokens_comes_out_whole_once_complete()
    {
        int[] ids = fixture.Tokenizer.Encode("a🍎é");
        var decoder = new Utf8TokenDecoder(fixture.Tokenizer);
        var pieces = ids.Select(decoder.Add).ToList();
        pieces.Add(decoder.Flush());

        Assert.Equal("a🍎é", string.Concat(pieces));
        Assert.Contains("🍎", pieces); // not "\uFFFD" four times
        Assert.True(pieces.Count(p => p.Length == 0) >= 3, "the emoji's first bytes give no text yet");
        Assert.DoesNotContain(pieces, p => p.Contains('\uFFFD', StringComparison.Ordinal));
    }

    [Fact]
    public void Bytes_that_never_complete_a_character_decode_as_the_tokenizer_decodes_them()
    {
        int[] emoji = fixture.Tokenizer.Encode("🍎");
        int endOfTurn = fixture.Tokenizer.SpecialTokens[ChatTemplate.ImEnd];
        int[] broken = [emoji[0], emoji[1], endOfTurn, emoji[0]]; // cut short twice: before a special token and at the end
        var decoder = new Utf8TokenDecoder(fixture.Tokenizer);
        string streamed = string.Concat(broken.Select(decoder.Add)) + decoder.Flush();
        Assert.Equal(fixture.Tokenizer.Decode(broken), streamed);
        Assert.Equal("\uFFFD<|im_end|>\uFFFD", streamed);
    }
}
