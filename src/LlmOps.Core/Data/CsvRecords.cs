using System.Text;

namespace LlmOps.Core.Data;

/// <summary>
/// An RFC 4180 CSV tokenizer: comma-separated fields, double-quoted fields that may hold commas, doubled quotes and
/// line breaks, CRLF or LF record ends. Yields each record with the line it starts on, so errors can name it. A quoted
/// field still open at the end of the file is yielded as a record with an error (what was read of it as its fields),
/// not thrown, so a reader that rejects bad records keeps everything before it.
/// </summary>
static class CsvRecords
{
    public static IEnumerable<(long Line, string[] Fields, string? Error)> Read(TextReader reader, string path)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        long line = 1, recordLine = 1;
        bool quoted = false, afterQuote = false, any = false;
        int c;
        while (true)
        {
            try
            {
                c = reader.Read();
            }
            catch (DecoderFallbackException e)
            {
                throw new DataFormatException(path, line, null, "not UTF-8", e);
            }
            if (c < 0)
                break;
            char ch = (char)c;
            any = true;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                    else { quoted = false; afterQuote = true; }
                }
                else
                {
                    if (ch == '\n') line++;
                    field.Append(ch);
                }
                continue;
            }
            switch (ch)
            {
                case '"' when field.Length == 0 && !afterQuote:
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    afterQuote = false;
                    break;
                case '\r' when reader.Peek() == '\n':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    yield return (recordLine, [.. fields], null);
                    fields.Clear();
                    field.Clear();
                    afterQuote = any = false;
                    recordLine = ++line;
                    break;
                default:
                    if (afterQuote)
                        throw new DataFormatException(path, line, null, $"text after a closing quote (column {fields.Count + 1})");
                    field.Append(ch);
                    break;
            }
        }
        if (any)
        {
            fields.Add(field.ToString());
            yield return (recordLine, [.. fields], quoted ? "a quoted field is not closed before the end of the file" : null);
        }
    }
}
