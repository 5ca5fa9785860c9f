using System.Text.RegularExpressions;

namespace LlmOps.Core.Data.Cleaning;

/// <summary>
/// Keeps the lines of a document that read like sentences, by the C4 rules, and removes documents that are not prose.
/// Each line is trimmed and checked in TFDS's order (which datatrove keeps): a too-long word drops it; citations are
/// removed; no terminal punctuation drops it; too few words drops it; "lorem ipsum" removes the document;
/// "javascript" drops it; a curly bracket removes the document; a policy phrase drops it. As in both reference
/// implementations, the document-level checks see only lines that passed the checks before them. Kept lines are
/// joined with single line breaks (blank lines never pass, so paragraph breaks go, as in C4).
/// <para>Counters: <c>c4:lines_too_long_word</c>, <c>c4:lines_no_terminal_punct</c>, <c>c4:lines_too_few_words</c>,
/// <c>c4:lines_javascript</c>, <c>c4:lines_policy</c> (lines dropped by each rule), <c>c4:citations</c> (marks removed).
/// Removal rules: <c>c4:lorem_ipsum</c>, <c>c4:curly_bracket</c>, <c>c4:too_few_sentences</c>.</para>
/// </summary>
public sealed partial class C4LineFilter(C4LineConfig? config = null) : ICleaningStep
{
    readonly C4LineConfig config = config ?? new C4LineConfig();

    /// <inheritdoc />
    public string Name => "c4";

    /// <inheritdoc />
    public object Config => config;

    /// <inheritdoc />
    public Document? Apply(Document document, StepRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(recorder);
        var kept = new List<string>();
        int sentences = 0;
        foreach (string raw in TextUnits.Lines(document.Text))
        {
            string line = raw.Trim();
            string[] words = TextUnits.Words(line);
            if (config.MaxWordLength is int maxLength && words.Any(w => w.Length > maxLength))
            {
                recorder.Count("c4:lines_too_long_word");
                continue;
            }
            if (config.RemoveCitations)
            {
                int citations = Citation().Count(line);
                if (citations > 0)
                {
                    line = Citation().Replace(line, "");
                    recorder.Count("c4:citations", citations);
                }
            }
            if (config.DropLinesWithoutTerminalPunctuation && !EndsLikeSentence(line))
            {
                recorder.Count("c4:lines_no_terminal_punct");
                continue;
            }
            if (config.MinWordsPerLine is int minWords && words.Length < minWords)
            {
                recorder.Count("c4:lines_too_few_words");
                continue;
            }
            if (config.RemoveDocumentWithLoremIpsum && line.Contains("lorem ipsum", StringComparison.OrdinalIgnoreCase))
                return recorder.Remove("c4:lorem_ipsum", $"\"lorem ipsum\" in: {Excerpt(line)}");
            if (config.DropJavascriptLines && line.Contains("javascript", StringComparison.OrdinalIgnoreCase))
            {
                recorder.Count("c4:lines_javascript");
                continue;
            }
            if (config.RemoveDocumentWithCurlyBracket && line.Contains('{', StringComparison.Ordinal))
                return recorder.Remove("c4:curly_bracket", $"'{{' in: {Excerpt(line)}");
            if (config.DropPolicyLines && config.PolicyPhrases.Any(p => line.Contains(p, StringComparison.OrdinalIgnoreCase)))
            {
                recorder.Count("c4:lines_policy");
                continue;
            }
            sentences += TextUnits.Sentences(line).Length;
            kept.Add(line);
        }
        if (config.MinSentences is int minSentences && sentences < minSentences)
            return recorder.Remove("c4:too_few_sentences", $"{sentences} sentences in {kept.Count} kept lines < {minSentences}");
        string text = string.Join('\n', kept).Trim();
        return text == document.Text ? document : document with { Text = text };
    }

    static bool EndsLikeSentence(string line) =>
        line.Length > 0 && line[^1] is ('.' or '?' or '!' or '"' or '\'') && !line.EndsWith("...", StringComparison.Ordinal);

    static string Excerpt(string line) => line.Length <= 80 ? line : line[..77] + "...";

    [GeneratedRegex(@"\[\d*\]|\[edit\]|\[citation needed\]")]
    private static partial Regex Citation();
}
