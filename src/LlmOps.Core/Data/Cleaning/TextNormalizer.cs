using System.Text;
using System.Text.RegularExpressions;

namespace LlmOps.Core.Data.Cleaning;

/// <summary>
/// Puts text in one canonical form before any filter measures it, so quality rules and dedup are not fooled by
/// markup, invisible characters or spacing. It runs first in a pipeline. Counters (one per kind of change):
/// <c>normalize:html</c> (documents converted from HTML), <c>normalize:nfc</c> (documents whose NFC form differs),
/// <c>normalize:line_breaks</c> (CRLF or CR line breaks rewritten), <c>normalize:control_chars</c> (characters
/// dropped), <c>normalize:spaces</c> (runs collapsed), <c>normalize:line_ends</c> (lines with trailing whitespace trimmed),
/// <c>normalize:blank_lines</c> (blank lines dropped, including those at the start and end). A document left
/// with no text is removed by the rule <c>normalize:empty</c>.
/// </summary>
public sealed partial class TextNormalizer(TextNormalizerConfig? config = null) : ICleaningStep
{
    readonly TextNormalizerConfig config = config ?? new TextNormalizerConfig();

    /// <inheritdoc />
    public string Name => "normalize";

    /// <inheritdoc />
    public object Config => config;

    /// <summary>
    /// The rule for treating a document without a content type as HTML: it has an <c>&lt;html</c>, <c>&lt;body</c> or
    /// <c>&lt;!DOCTYPE html</c> tag, or at least three tags of common HTML elements (p, br, div, span, a, b, i, u,
    /// font, table, tr, td, li, ul, ol, img, h1-h6). Three, because plain text quoting one tag (as this sentence
    /// does) must not be rewritten.
    /// </summary>
    public static bool LooksLikeHtml(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return DocumentTag().IsMatch(text) || CommonTag().Count(text) >= 3;
    }

    /// <inheritdoc />
    public Document? Apply(Document document, StepRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(recorder);
        string text = document.Text;

        if (config.StripHtml && IsHtml(document))
        {
            text = HtmlText.ToPlainText(text);
            recorder.Count("normalize:html");
        }
        if (config.UnicodeNfc && !text.IsNormalized(NormalizationForm.FormC))
        {
            text = text.Normalize(NormalizationForm.FormC);
            recorder.Count("normalize:nfc");
        }
        int breaks = LineBreak().Count(text);
        if (breaks > 0)
        {
            text = LineBreak().Replace(text, "\n");
            recorder.Count("normalize:line_breaks", breaks);
        }
        if (config.StripControlCharacters)
            text = StripControls(text, recorder);
        text = RewriteLines(text, recorder);

        if (text.Length == 0)
            return recorder.Remove("normalize:empty", document.Text.Length == 0 ? "the text is empty" : $"no text left after normalizing {document.Text.Length} characters");
        return text == document.Text ? document : document with { Text = text };
    }

    static bool IsHtml(Document document) =>
        document.Metadata.TryGetValue("content_type", out string? type)
            ? type.TrimStart().StartsWith("text/html", StringComparison.OrdinalIgnoreCase)
            : LooksLikeHtml(document.Text);

    static string StripControls(string text, StepRecorder recorder)
    {
        int dropped = 0;
        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (char.IsControl(c) && c is not ('\n' or '\t'))
                dropped++;
            else
                builder.Append(c);
        }
        recorder.Count("normalize:control_chars", dropped);
        return dropped == 0 ? text : builder.ToString();
    }

    string RewriteLines(string text, StepRecorder recorder)
    {
        var kept = new List<string>();
        int blankRun = 0, blanksDropped = 0;
        foreach (string original in text.Split('\n'))
        {
            string line = original;
            if (config.CollapseSpaces)
            {
                int runs = SpaceRun().Count(line);
                if (runs > 0)
                {
                    line = SpaceRun().Replace(line, " ");
                    recorder.Count("normalize:spaces", runs);
                }
            }
            if (config.TrimLineEnds)
            {
                string trimmed = line.TrimEnd(' ', '\t');
                if (trimmed.Length != line.Length)
                    recorder.Count("normalize:line_ends");
                line = trimmed;
            }
            if (line.Length == 0)
            {
                blankRun++;
                if (kept.Count == 0 || (config.MaxBlankLines is int max && blankRun > max))
                {
                    blanksDropped++;
                    continue;
                }
            }
            else
            {
                blankRun = 0;
            }
            kept.Add(line);
        }
        while (kept.Count > 0 && kept[^1].Length == 0)
        {
            kept.RemoveAt(kept.Count - 1);
            blanksDropped++;
        }
        recorder.Count("normalize:blank_lines", blanksDropped);
        return string.Join('\n', kept);
    }

    [GeneratedRegex(@"\r\n?")]
    private static partial Regex LineBreak();

    [GeneratedRegex(@"[ \t]{2,}")]
    private static partial Regex SpaceRun();

    [GeneratedRegex(@"<(?:html|body|!doctype\s+html)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DocumentTag();

    [GeneratedRegex(@"</?(?:p|br|div|span|a|b|i|u|font|table|tr|td|li|ul|ol|img|h[1-6])\b[^<>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex CommonTag();
}
