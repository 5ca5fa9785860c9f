using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace LlmOps.Core.Data.Cleaning;

/// <summary>
/// Turns HTML into the text a reader would see, for corpora (web pages, HTML mail) where markup would otherwise be
/// learned as if it were language. Regex-based on purpose: it never fails on broken markup, which is most markup in
/// the wild, and needs no parser dependency. What it does, in order: drops comments and the content of script, style
/// and head elements; collapses whitespace as a browser does; turns block elements into line breaks (p and h1-h6 into
/// a blank line, br, div, li, tr and other blocks into one line break, table cells into a space); drops every other
/// tag; decodes entities; trims lines and keeps at most one blank line in a row.
/// </summary>
public static partial class HtmlText
{
    /// <summary>The visible text of <paramref name="html"/>, with block structure kept as line breaks.</summary>
    public static string ToPlainText(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        string text = Comment().Replace(html, " ");
        text = HiddenElement().Replace(text, " ");
        text = Whitespace().Replace(text, " ");
        text = ParagraphTag().Replace(text, "\n\n");
        text = LineBreakTag().Replace(text, "\n");
        text = CellTag().Replace(text, " ");
        text = AnyTag().Replace(text, "");
        text = WebUtility.HtmlDecode(text).Replace('\u00A0', ' ');
        return Tidy(text);
    }

    /// <summary>Trims each line, collapses space runs, keeps at most one blank line in a row, trims the whole.</summary>
    static string Tidy(string text)
    {
        var builder = new StringBuilder(text.Length);
        bool pendingBlank = false;
        foreach (string raw in text.Split('\n'))
        {
            string line = Spaces().Replace(raw, " ").Trim();
            if (line.Length == 0)
            {
                pendingBlank = builder.Length > 0;
                continue;
            }
            if (builder.Length > 0)
                builder.Append(pendingBlank ? "\n\n" : "\n");
            builder.Append(line);
            pendingBlank = false;
        }
        return builder.ToString();
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

    [GeneratedRegex(@"</?(?:br|div|li|tr|ul|ol|dl|dt|dd|table|thead|tbody|tfoot|blockquote|pre|hr|section|article|header|footer|nav|aside|title|body|html)\b(?:[^>""']|""[^""]*""|'[^']*')*>", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreakTag();

    [GeneratedRegex(@"</?(?:td|th)\b(?:[^>""']|""[^""]*""|'[^']*')*>", RegexOptions.IgnoreCase)]
    private static partial Regex CellTag();

    // A tag starts with a letter, '/', '!' or '?' right after '<', so "a < b" in text is not taken for one.
    [GeneratedRegex(@"<[A-Za-z/!?](?:[^>""']|""[^""]*""|'[^']*')*>")]
    private static partial Regex AnyTag();
}
