using System.Text;

namespace LlmOps.Core.Data;

/// <summary>
/// One email, decoded from its raw RFC 822 bytes: unfolded headers, RFC 2047 encoded words in Subject/From/To, MIME
/// multipart (nested), quoted-printable and base64, declared charsets, and a guess for undeclared 8-bit text. Only
/// the body text is kept (a text/plain part when there is one, else text/html, left as HTML for the cleaning step to
/// strip); other parts are counted as attachments, so what was left out is always visible.
/// </summary>
/// <param name="Headers">The top-level header fields in order, unfolded, values as written (encoded words not decoded).</param>
/// <param name="Subject">The decoded Subject, or null when the message has none.</param>
/// <param name="From">The decoded From, or null.</param>
/// <param name="To">The decoded To, or null.</param>
/// <param name="Date">The Date as written, or null.</param>
/// <param name="Body">The chosen body part's text, line breaks as <c>\n</c>; empty when the message has no text part.</param>
/// <param name="BodyContentType"><c>text/plain</c>, <c>text/html</c>, or <c>none</c> when no part is text.</param>
/// <param name="Charset">The charset the body declared (lower case), or null.</param>
/// <param name="CharsetGuess">When the body's charset was undeclared, unknown or wrong and had to be guessed: the guess
/// (<c>utf-8</c> when the bytes are valid UTF-8, else <c>windows-1252</c>); null when nothing was guessed.</param>
/// <param name="Attachments">Leaf parts that are not inline text/plain or text/html (images, PDFs, signatures, forwarded messages).</param>
/// <param name="TextParts">Inline text/plain and text/html parts; more than one means alternatives or extra text not in <paramref name="Body"/>.</param>
/// <param name="IsMultipart">True when the top-level message is multipart.</param>
/// <param name="Defects">Rule breaks that were worked around (a boundary that only matches ignoring spaces, a missing boundary, ...).</param>
public sealed record EmailMessage(
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? Subject,
    string? From,
    string? To,
    string? Date,
    string Body,
    string BodyContentType,
    string? Charset,
    string? CharsetGuess,
    int Attachments,
    int TextParts,
    bool IsMultipart,
    IReadOnlyList<string> Defects)
{
    /// <summary>Nesting deeper than this is not real mail; it stops a crafted message from recursing without end.</summary>
    const int MaxDepth = 20;

    /// <summary>The first header field named <paramref name="name"/> (case-insensitive), unfolded, or null.</summary>
    public string? Header(string name) => Find(Headers, name);

    /// <summary>Parses a raw message.</summary>
    /// <param name="raw">The file's bytes (an mbox <c>From </c> envelope line first is allowed and skipped).</param>
    /// <param name="name">The file name, for error messages.</param>
    /// <exception cref="DataFormatException">The bytes are not an email at all: empty, no blank line between headers
    /// and body, or a header line that is not a header field (the error names the line).</exception>
    public static EmailMessage Parse(byte[] raw, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(raw);
        string file = name ?? "(email)";
        var defects = new List<string>();
        ReadOnlyMemory<byte> message = raw;
        long firstLine = 1;
        if (message.Span.StartsWith("From "u8))
        {
            int envelopeEnd = message.Span.IndexOf((byte)'\n');
            message = envelopeEnd < 0 ? ReadOnlyMemory<byte>.Empty : message[(envelopeEnd + 1)..];
            firstLine = 2;
        }
        if (message.Span.Trim(" \t\r\n"u8).IsEmpty)
            throw new DataFormatException(file, 0, null, "empty: no headers and no body");
        int headerEnd = HeaderEnd(message.Span, out int bodyStart);
        if (headerEnd < 0)
            throw new DataFormatException(file, 0, null, "no blank line between the headers and the body");
        var decodedHeaders = MimeDecoding.DecodeText(message.Span[..headerEnd], null);
        if (decodedHeaders.Guessed == "windows-1252")
            defects.Add("8-bit bytes in the headers were read as windows-1252");
        var headers = ParseHeaders(decodedHeaders.Text, (line, reason) => throw new DataFormatException(file, firstLine + line, null, reason));

        var leaves = new List<(string MediaType, string? Charset, bool Inline, string TransferEncoding, ReadOnlyMemory<byte> Body)>();
        bool multipart = Walk(headers, message[bodyStart..], 0, leaves, defects);

        var text = leaves.Where(l => l.Inline && l.MediaType is "text/plain" or "text/html").ToList();
        var chosen = text.FirstOrDefault(l => l.MediaType == "text/plain");
        if (chosen.MediaType is null)
            chosen = text.FirstOrDefault();

        string body = "", contentType = "none";
        MimeDecoding.Decoded decoded = default;
        if (chosen.MediaType is not null)
        {
            decoded = MimeDecoding.DecodeText(TransferDecode(chosen.Body.Span, chosen.TransferEncoding, defects), chosen.Charset);
            if (chosen.Charset is not null && decoded.Guessed is not null)
                defects.Add($"charset '{chosen.Charset}' is unknown or does not fit the bytes, so it was read as {decoded.Guessed}");
            body = decoded.Text.ReplaceLineEndings("\n");
            contentType = chosen.MediaType;
        }
        string? Decoded(string field) => Find(headers, field) is { } value ? MimeDecoding.DecodeHeader(value) : null;
        return new EmailMessage(headers, Decoded("Subject"), Decoded("From"), Decoded("To"), Find(headers, "Date"), body, contentType,
            decoded.Charset, decoded.Guessed, leaves.Count - text.Count, text.Count, multipart, defects);
    }

    /// <summary>
    /// True when <paramref name="start"/> (the first bytes of a file) reads as an email: after an optional mbox
    /// <c>From </c> line, every line up to the first blank line is a header field or a continuation, and one of them
    /// is From, Received, Return-Path or Message-ID. A text file that merely opens with "Note: ..." is not an email.
    /// </summary>
    public static bool LooksLikeEmail(ReadOnlySpan<byte> start)
    {
        if (start.StartsWith("From "u8))
        {
            int envelopeEnd = start.IndexOf((byte)'\n');
            start = envelopeEnd < 0 ? [] : start[(envelopeEnd + 1)..];
        }
        int headerEnd = HeaderEnd(start, out _);
        if (headerEnd <= 0)
            return false;
        bool valid = true;
        var headers = ParseHeaders(MimeDecoding.Windows1252.GetString(start[..headerEnd]), (_, _) => valid = false);
        return valid && headers.Any(h => h.Key.ToLowerInvariant() is "from" or "received" or "return-path" or "message-id");
    }

    /// <summary>Collects the leaf parts under one entity; returns true when the entity is multipart.</summary>
    static bool Walk(IReadOnlyList<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> body, int depth,
        List<(string MediaType, string? Charset, bool Inline, string TransferEncoding, ReadOnlyMemory<byte> Body)> leaves, List<string> defects)
    {
        var (mediaType, parameters) = MimeDecoding.ParseParameterized(Find(headers, "Content-Type"));
        if (!mediaType.Contains('/', StringComparison.Ordinal))
        {
            if (mediaType.Length > 0)
                defects.Add($"Content-Type '{mediaType}' is not type/subtype; read as text/plain");
            mediaType = "text/plain"; // RFC 2045 5.2: the default
        }
        string transferEncoding = (Find(headers, "Content-Transfer-Encoding") ?? "").Trim().ToLowerInvariant();
        if (mediaType.StartsWith("multipart/", StringComparison.Ordinal))
        {
            if (depth >= MaxDepth)
            {
                defects.Add($"multipart nested deeper than {MaxDepth}; the rest is counted as one attachment");
                leaves.Add((mediaType, null, false, transferEncoding, body));
                return true;
            }
            if (!parameters.TryGetValue("boundary", out string? boundary) || boundary.Length == 0)
            {
                defects.Add($"{mediaType} without a boundary; read as text/plain");
                leaves.Add(("text/plain", parameters.GetValueOrDefault("charset"), true, transferEncoding, body));
                return false;
            }
            var parts = SplitMultipart(body, boundary, loose: false);
            if (parts.Count == 0)
            {
                parts = SplitMultipart(body, boundary, loose: true);
                if (parts.Count > 0)
                    defects.Add($"boundary '{boundary}' matches its delimiter lines only when spaces are ignored");
            }
            if (parts.Count == 0)
            {
                defects.Add($"{mediaType}: no line carries the boundary '{boundary}'; read as text/plain");
                leaves.Add(("text/plain", null, true, transferEncoding, body));
                return false;
            }
            foreach (var part in parts)
            {
                var (partHeaders, partBody) = SplitPart(part, defects);
                Walk(partHeaders, partBody, depth + 1, leaves, defects);
            }
            return true;
        }
        var (disposition, _) = MimeDecoding.ParseParameterized(Find(headers, "Content-Disposition"));
        leaves.Add((mediaType, parameters.GetValueOrDefault("charset"), disposition != "attachment", transferEncoding, body));
        return false;
    }

    /// <summary>The body parts between delimiter lines (RFC 2046 5.1.1): the line break before a delimiter belongs to
    /// it; the preamble and epilogue are not parts. <paramref name="loose"/> compares lines with spaces removed, for
    /// senders that quote one boundary and write another.</summary>
    static List<ReadOnlyMemory<byte>> SplitMultipart(ReadOnlyMemory<byte> body, string boundary, bool loose)
    {
        var span = body.Span;
        byte[] delimiter = MimeDecoding.Windows1252.GetBytes("--" + boundary);
        if (loose)
            delimiter = [.. delimiter.Where(b => !IsSpace(b))];
        var parts = new List<ReadOnlyMemory<byte>>();
        int position = 0, partStart = -1;
        while (position < span.Length)
        {
            int newline = span[position..].IndexOf((byte)'\n');
            int lineEnd = newline < 0 ? span.Length : position + newline;
            int next = newline < 0 ? span.Length : lineEnd + 1;
            var line = span[position..lineEnd].TrimEnd(" \t\r"u8);
            byte[]? compacted = loose && line.StartsWith("--"u8) ? [.. line.ToArray().Where(b => !IsSpace(b))] : null;
            ReadOnlySpan<byte> candidate = compacted ?? line;
            bool close = candidate.Length == delimiter.Length + 2 && candidate.StartsWith(delimiter) && candidate.EndsWith("--"u8);
            if (close || candidate.SequenceEqual(delimiter))
            {
                if (partStart >= 0)
                {
                    int end = position;
                    if (end > partStart && span[end - 1] == '\n')
                        end--;
                    if (end > partStart && span[end - 1] == '\r')
                        end--;
                    parts.Add(body[partStart..end]);
                }
                if (close)
                    return parts;
                partStart = next;
            }
            position = next;
        }
        if (partStart >= 0)
            parts.Add(body[partStart..]); // no closing delimiter: the last part runs to the end
        return parts;
    }

    static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t';

    /// <summary>A body part's headers and body. A part that starts with a blank line has no headers (RFC 2046).</summary>
    static (IReadOnlyList<KeyValuePair<string, string>> Headers, ReadOnlyMemory<byte> Body) SplitPart(ReadOnlyMemory<byte> part, List<string> defects)
    {
        int headerEnd = HeaderEnd(part.Span, out int bodyStart);
        if (headerEnd < 0)
        {
            // No blank line: a part of headers only, or of text only.
            bool allHeaders = true;
            var parsed = ParseHeaders(MimeDecoding.Windows1252.GetString(part.Span), (_, _) => allHeaders = false);
            if (allHeaders && parsed.Count > 0)
                return (parsed, ReadOnlyMemory<byte>.Empty);
            defects.Add("a MIME part has no headers and no blank line; read as text/plain");
            return ([], part);
        }
        var headers = ParseHeaders(MimeDecoding.DecodeText(part.Span[..headerEnd], null).Text,
            (_, reason) => defects.Add($"in a MIME part's headers, {reason}; line skipped"));
        return (headers, part[bodyStart..]);
    }

    /// <summary>Where the header block ends (the start of the first blank line; 0 when the text starts with one), and
    /// where the body starts; -1 when there is no blank line.</summary>
    static int HeaderEnd(ReadOnlySpan<byte> text, out int bodyStart)
    {
        int position = 0;
        while (position < text.Length)
        {
            int newline = text[position..].IndexOf((byte)'\n');
            if (newline < 0)
                break;
            var line = text.Slice(position, newline);
            if (line.IsEmpty || (line.Length == 1 && line[0] == '\r'))
            {
                bodyStart = position + newline + 1;
                return position;
            }
            position += newline + 1;
        }
        bodyStart = text.Length;
        return -1;
    }

    /// <summary>Header fields, unfolded (RFC 5322 2.2.3: a line starting with a space or tab continues the field
    /// above). <paramref name="bad"/> is told of a line that is neither, with its 0-based line index.</summary>
    static List<KeyValuePair<string, string>> ParseHeaders(string block, Action<long, string> bad)
    {
        var headers = new List<KeyValuePair<string, string>>();
        string? name = null;
        var value = new StringBuilder();
        string[] lines = block.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (line.Length == 0 && i == lines.Length - 1)
                break;
            if (line.Length > 0 && line[0] is ' ' or '\t')
            {
                if (name is null)
                {
                    bad(i, "a continuation line with no header field above it");
                    continue;
                }
                value.Append(line);
                continue;
            }
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            string fieldName = colon > 0 ? line[..colon].TrimEnd(' ', '\t') : "";
            if (fieldName.Length == 0 || fieldName.Any(c => c is <= ' ' or > '~'))
            {
                bad(i, $"not a 'Name: value' header field: '{Shorten(line)}'");
                continue;
            }
            if (name is not null)
                headers.Add(new(name, value.ToString().Trim()));
            name = fieldName;
            value.Clear().Append(line, colon + 1, line.Length - colon - 1);
        }
        if (name is not null)
            headers.Add(new(name, value.ToString().Trim()));
        return headers;
    }

    static string Shorten(string line) => line.Length <= 60 ? line : line[..60] + "...";

    /// <summary>Undoes Content-Transfer-Encoding; 7bit, 8bit, binary and none are the bytes as they are.</summary>
    static byte[] TransferDecode(ReadOnlySpan<byte> body, string transferEncoding, List<string> defects)
    {
        switch (transferEncoding)
        {
            case "quoted-printable":
                return MimeDecoding.QuotedPrintable(body);
            case "base64":
                try
                {
                    return MimeDecoding.Base64(body);
                }
                catch (FormatException)
                {
                    defects.Add("base64 body could not be decoded; kept as written");
                    return body.ToArray();
                }
            case "" or "7bit" or "8bit" or "binary":
                return body.ToArray();
            default:
                defects.Add($"unknown Content-Transfer-Encoding '{transferEncoding}'; kept as written");
                return body.ToArray();
        }
    }

    static string? Find(IReadOnlyList<KeyValuePair<string, string>> headers, string name)
    {
        foreach (var header in headers)
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
                return header.Value;
        return null;
    }
}
