using System.Text;
using System.Text.RegularExpressions;

namespace LlmOps.Core.Data;

/// <summary>
/// The byte-level decoders email needs (RFC 2045 quoted-printable and base64, RFC 2047 encoded words, charsets), kept
/// apart from <see cref="EmailMessage"/> so each can be read and tested on its own. They are lenient the way mail
/// readers are: real mail breaks the rules, and a corpus reader must still get the text out.
/// </summary>
static partial class MimeDecoding
{
    /// <summary>Windows-1252: what undeclared 8-bit mail text almost always is, and what WHATWG decoders use for the
    /// iso-8859-1 and us-ascii labels (so 0x80-0x9F become curly quotes and dashes, not C1 control characters).</summary>
    public static Encoding Windows1252 { get; } = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>How a run of bytes became text: the charset used and, when it was a guess, which guess.</summary>
    public readonly record struct Decoded(string Text, string? Charset, string? Guessed);

    /// <summary>
    /// Decodes <paramref name="bytes"/> in the <paramref name="declared"/> charset. Undeclared or unknown charsets
    /// with 8-bit bytes are guessed: UTF-8 when the bytes are valid UTF-8, else Windows-1252 (every byte maps, so
    /// nothing is lost); <see cref="Decoded.Guessed"/> says which, so the guess is never silent. Declared UTF-8 that is
    /// not valid UTF-8 is guessed the same way rather than filled with replacement characters.
    /// </summary>
    public static Decoded DecodeText(ReadOnlySpan<byte> bytes, string? declared)
    {
        string? label = declared?.Trim().Trim('"', '\'').ToLowerInvariant();
        if (label is { Length: > 0 })
        {
            if (label is "iso-8859-1" or "iso8859-1" or "iso_8859-1" or "latin1" or "l1" or "us-ascii" or "ascii" or "iso-8859-1:1987")
                return new Decoded(Windows1252.GetString(bytes), label, null);
            var encoding = Resolve(label);
            if (encoding is UTF8Encoding)
            {
                if (IsUtf8(bytes))
                    return new Decoded(StrictUtf8.GetString(bytes), "utf-8", null);
            }
            else if (encoding is not null)
            {
                return new Decoded(encoding.GetString(bytes), label, null);
            }
        }
        if (bytes.IndexOfAnyInRange((byte)0x80, (byte)0xFF) < 0)
            return new Decoded(Encoding.ASCII.GetString(bytes), label, null);
        return IsUtf8(bytes)
            ? new Decoded(StrictUtf8.GetString(bytes), label, "utf-8")
            : new Decoded(Windows1252.GetString(bytes), label, "windows-1252");
    }

    /// <summary>The encoding a MIME charset label names, or null. Code pages come from the provider directly so that
    /// nothing process-wide (<see cref="Encoding.RegisterProvider"/>) has to change.</summary>
    public static Encoding? Resolve(string label)
    {
        if (CodePagesEncodingProvider.Instance.GetEncoding(label) is { } codePage)
            return codePage;
        try
        {
            return Encoding.GetEncoding(label);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    static bool IsUtf8(ReadOnlySpan<byte> bytes) => System.Text.Unicode.Utf8.IsValid(bytes);

    /// <summary>Quoted-printable (RFC 2045 6.7): <c>=XX</c> bytes, <c>=</c> at a line end joins lines, trailing
    /// whitespace is transport padding. A malformed <c>=</c> is kept as it is, as RFC 2045 advises.</summary>
    public static byte[] QuotedPrintable(ReadOnlySpan<byte> input)
    {
        var output = new List<byte>(input.Length);
        while (!input.IsEmpty)
        {
            int end = input.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = end < 0 ? input : input[..end];
            bool hasBreak = end >= 0;
            input = end < 0 ? [] : input[(end + 1)..];
            line = line.TrimEnd("\r \t"u8);
            bool soft = line.Length > 0 && line[^1] == '=';
            if (soft)
                line = line[..^1];
            for (int i = 0; i < line.Length; i++)
            {
                if (line[i] == '=' && i + 2 < line.Length && IsHex(line[i + 1]) && IsHex(line[i + 2]))
                {
                    output.Add((byte)(HexValue(line[i + 1]) * 16 + HexValue(line[i + 2])));
                    i += 2;
                }
                else
                {
                    output.Add(line[i]);
                }
            }
            if (hasBreak && !soft)
                output.Add((byte)'\n');
        }
        return [.. output];
    }

    /// <summary>Base64 (RFC 2045 6.8): characters outside the alphabet are ignored, as the RFC says, and a missing
    /// final padding is tolerated; decoding stops at the first <c>=</c>.</summary>
    public static byte[] Base64(ReadOnlySpan<byte> input)
    {
        var alphabet = new StringBuilder(input.Length);
        foreach (byte b in input)
        {
            if (b == '=')
                break;
            if (b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'+' or (byte)'/')
                alphabet.Append((char)b);
        }
        if (alphabet.Length % 4 == 1)
            alphabet.Length--; // a lone sixth of a byte cannot be decoded
        while (alphabet.Length % 4 != 0)
            alphabet.Append('=');
        return Convert.FromBase64String(alphabet.ToString());
    }

    [GeneratedRegex(@"=\?(?<charset>[^?\s]+)\?(?<encoding>[bBqQ])\?(?<text>[^?\s]*)\?=")]
    private static partial Regex EncodedWord();

    /// <summary>
    /// Decodes RFC 2047 encoded words (<c>=?charset?B?...?=</c> and <c>=?charset?Q?...?=</c>) in a header value;
    /// whitespace between two encoded words is dropped, as the RFC says. Other text is left as it is.
    /// </summary>
    public static string DecodeHeader(string value)
    {
        if (!value.Contains("=?", StringComparison.Ordinal))
            return value;
        var builder = new StringBuilder(value.Length);
        int last = 0;
        bool previousWasEncoded = false;
        foreach (Match match in EncodedWord().Matches(value))
        {
            string between = value[last..match.Index];
            if (!(previousWasEncoded && string.IsNullOrWhiteSpace(between)))
                builder.Append(between);
            string charset = match.Groups["charset"].Value;
            int language = charset.IndexOf('*', StringComparison.Ordinal); // RFC 2231 language suffix: utf-8*en
            if (language >= 0)
                charset = charset[..language];
            string text = match.Groups["text"].Value;
            byte[] bytes = match.Groups["encoding"].Value is "B" or "b"
                ? Base64(Encoding.ASCII.GetBytes(text))
                : QuotedPrintable(Encoding.ASCII.GetBytes(text.Replace('_', ' ')));
            builder.Append(DecodeText(bytes, charset).Text);
            last = match.Index + match.Length;
            previousWasEncoded = true;
        }
        builder.Append(value[last..]);
        return builder.ToString();
    }

    /// <summary>Splits a Content-Type or Content-Disposition value into its lower-case value and its parameters
    /// (names case-insensitive, quoted values unquoted). A missing <c>;</c> before a parameter is tolerated.</summary>
    public static (string Value, Dictionary<string, string> Parameters) ParseParameterized(string? header)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(header))
            return ("", parameters);
        int i = 0;
        string value = Token(header, ref i).ToLowerInvariant();
        while (i < header.Length)
        {
            while (i < header.Length && (header[i] == ';' || char.IsWhiteSpace(header[i])))
                i++;
            int equals = header.IndexOf('=', i);
            if (equals < 0)
                break;
            string name = header[i..equals].Trim();
            i = equals + 1;
            while (i < header.Length && char.IsWhiteSpace(header[i]))
                i++;
            string parameter;
            if (i < header.Length && header[i] == '"')
            {
                var quoted = new StringBuilder();
                for (i++; i < header.Length && header[i] != '"'; i++)
                {
                    if (header[i] == '\\' && i + 1 < header.Length)
                        i++;
                    quoted.Append(header[i]);
                }
                i++;
                parameter = quoted.ToString();
            }
            else
            {
                parameter = Token(header, ref i);
            }
            if (name.Length > 0)
                parameters.TryAdd(name, parameter);
        }
        return (value, parameters);
    }

    static string Token(string text, ref int i)
    {
        int start = i;
        while (i < text.Length && text[i] != ';' && !char.IsWhiteSpace(text[i]))
            i++;
        return text[start..i].Trim();
    }

    static bool IsHex(byte b) => b is >= (byte)'0' and <= (byte)'9' or >= (byte)'A' and <= (byte)'F' or >= (byte)'a' and <= (byte)'f';

    static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
