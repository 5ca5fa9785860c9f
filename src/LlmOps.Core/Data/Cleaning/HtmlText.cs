using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace LlmOps.Core.Data.Cleaning;

/// <summary>
/// Turns HTML into the text a reader would see, for corpora (web pages, HTML mail) where markup would otherwise be
/// learned as if it were language. Regex-based on purpose: it never fails on broken markup, which is most markup in
/// the wild, and needs no parser dependency. What it does, in order: drops comments and the content of script, style
/// and head elements; collapses whitespace as a browser does; turns block elements into line breaks (p and h1-h6 into
/// a paragraph break, a blank line; div, li, tr and other blocks into one line break, never two in a row; each br into
/// one line break, so two make a blank line; table cells into a space); drops every other tag; decodes entities; trims
/// lines and keeps at most one blank line in a row.
/// </summary>
public static partial class HtmlText
{
    /// <summary>The visible text of <paramref name="html"/>, with block structure kept as line breaks.</summary>
    public static string ToPlainText(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        string text = html.Replace(ParagraphMark, ' ').Replace(BlockMark, ' ');
        text = Comment().Replace(text, " ");
        text = HiddenElement().Replace(text, " ");
        text = Whitespace().Replace(text, " ");
        text = ParagraphTag().Replace(text, ParagraphMark.ToString());
        text = LineBreakTag().Replace(text, "\n");
        text = BlockTag().Replace(text, BlockMark.ToString());
        text = CellTag().Replace(text, " ");
        text = AnyTag().Replace(text, "");
        text = WebUtility.HtmlDecode(text).Replace('\u00A0', ' ');
        return Layout(text);
    }

    // Stand-ins for tags until the layout pass: a block boundary starts a new line unless one was just started (so
    // "</li><li>" is one break), a paragraph boundary also leaves a blank line; only <br> is a literal line break, so
    // "<br><br>" leaves a blank line as it does on screen.
    const char ParagraphMark = '\u001E';
    const char BlockMark = '\u001F';

    /// <summary>Lays the marked text out as lines: trimmed, space runs collapsed, at most one blank line in a row.</summary>
    static string Layout(string text)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        bool blankWanted = false;
        foreach (char c in text)
        {
            if (c is '\n' or ParagraphMark or BlockMark)
            {
                string done = Spaces().Replace(line.ToString(), " ").Trim();
                line.Clear();
                if (done.Length > 0)
                {
                    if (blankWanted && lines.Count > 0)
                        lines.Add("");
                    lines.Add(done);
                    blankWanted = false;
                }
                else if (c == '\n' && lines.Count > 0)
                {
                    blankWanted = true;
                }
                if (c == ParagraphMark)
                    blankWanted = true;
                continue;
            }
            line.Append(c);
        }
        string last = Spaces().Replace(line.ToString(), " ").Trim();
        if (last.Length > 0)
        {
            if (blankWanted && lines.Count > 0)
                lines.Add("");
            lines.Add(last);
        }
        return string.Join('\n', lines);
    }

    // An unclosed comment runs to the end, as browsers treat it.
    [GeneratedRegex(@"<!--.*?(?:-->|\z)", RegexOptions.Singleline)]
    private static partial Regex Comment();

    // An unclosed script/style/head hides the rest of the document, as it would in a browser.
    [GeneratedRegex(@"<(script|style|head)\b[^>]*>.*?(?:</\1\s*>|\z)", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex HiddenElement();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"[ \t\f\v\u00A0]+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"</?(?:p|h[1-6])\b(?:[^>""']|""[^""]*""|'[^']*')*>", RegexOptions.IgnoreCase)]
    private static partial Regex ParagraphTag();

    [GeneratedRegex(@"<br\b(?:[^>""']|""[^""]*""|'[^']*')*>", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreakTag();

    [GeneratedRegex(@"</?(?:div|li|tr|ul|ol|dl|dt|dd|table|thead|tbody|tfoot|blockquote|pre|hr|section|article|header|footer|nav|aside|title|body|html)\b(?:[^>""']|""[^""]*""|'[^']*')*>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockTag();

    [GeneratedRegex(@"</?(?:td|th)\b(?:[^>""']|""[^""]*""|'[^']*')*>", RegexOptions.IgnoreCase)]
    private static partial Regex CellTag();

    // A tag starts with a letter, '/', '!' or '?' right after '<', so "a < b" in text is not taken for one.
    [GeneratedRegex(@"<[A-Za-z/!?](?:[^>""']|""[^""]*""|'[^']*')*>")]
    private static partial Regex AnyTag();
}
