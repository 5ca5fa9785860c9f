using System.Text;
using LlmOps.Core.Tokenization;

namespace LlmOps.Core.Chat;

/// <summary>Turns generated tokens into text as they come. A byte-level BPE token can end inside a multi-byte
/// character (an emoji is often four single-byte tokens), so decoding token by token would show replacement
/// characters; this keeps the incomplete bytes until the character is whole. Bytes that can never become a character
/// come out as U+FFFD, as <see cref="LlmTokenizer.Decode"/> gives them, so the streamed pieces join to the same text.</summary>
sealed class Utf8TokenDecoder(LlmTokenizer tokenizer)
{
    readonly Decoder decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();

    /// <summary>The text that <paramref name="token"/> completes; empty while a character is still incomplete.</summary>
    public string Add(int token) => Decode(tokenizer.TokenBytes(token).Span, flush: false);

    /// <summary>Whatever is still held (an incomplete character at the end of generation, as U+FFFD).</summary>
    public string Flush() => Decode([], flush: true);

    string Decode(ReadOnlySpan<byte> bytes, bool flush)
    {
        int count = decoder.GetCharCount(bytes, flush);
        if (count == 0)
        {
            decoder.GetChars(bytes, [], flush); // still consume the bytes into the decoder's state
            return "";
        }
        var chars = new char[count];
        int written = decoder.GetChars(bytes, chars, flush);
        return new string(chars, 0, written);
    }
}
