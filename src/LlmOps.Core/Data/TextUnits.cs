using System.Globalization;
using System.Text;

namespace LlmOps.Core.Data;

/// <summary>
/// The ways the data stage cuts text into units, in one place so quality rules, dedup and stats count the same
/// things: whitespace words (as the Gopher rules count them), lines, and a normal form for matching.
/// </summary>
public static class TextUnits
{
    /// <summary>Whitespace-separated words, punctuation attached (the Gopher rules' notion of a word).</summary>
    public static string[] Words(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The text's lines, without line breaks (\n, \r\n or \r).</summary>
    public static string[] Lines(string text) => text.ReplaceLineEndings("\n").Split('\n');

    /// <summary>
    /// Sentences, for rules that count them (C4's five-sentence minimum). A sentence ends at <c>.</c>, <c>!</c> or
    /// <c>?</c> (runs of them, then any closing quotes or brackets) followed by whitespace or the end of the text.
    /// A rule, not a trained model such as NLTK's punkt: the only abbreviations it knows are English titles and single
    /// initials (<c>Mr.</c>, <c>Dr.</c>, <c>J.</c>), so it may count a few more sentences than punkt does.
    /// </summary>
    public static string[] Sentences(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sentences = new List<string>();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] is not ('.' or '!' or '?'))
                continue;
            int end = i;
            while (end + 1 < text.Length && text[end + 1] is ('.' or '!' or '?'))
                end++;
            while (end + 1 < text.Length && text[end + 1] is ('"' or '\'' or ')' or ']' or '\u201D' or '\u2019'))
                end++;
            if (end + 1 < text.Length && !char.IsWhiteSpace(text[end + 1]))
            {
                i = end;
                continue;
            }
            if (text[i] == '.' && end == i && IsAbbreviation(text, start, i))
                continue;
            AddSentence(sentences, text, start, end + 1);
            start = end + 1;
            i = end;
        }
        AddSentence(sentences, text, start, text.Length);
        return [.. sentences];
    }

    static void AddSentence(List<string> sentences, string text, int start, int end)
    {
        string sentence = text[start..end].Trim();
        if (sentence.Length > 0)
            sentences.Add(sentence);
    }

    /// <summary>True when the word before the full stop at <paramref name="dot"/> is a title or a single initial.</summary>
    static bool IsAbbreviation(string text, int start, int dot)
    {
        int wordStart = dot;
        while (wordStart > start && char.IsLetter(text[wordStart - 1]))
            wordStart--;
        var word = text.AsSpan(wordStart, dot - wordStart);
        if (word.Length == 1 && char.IsUpper(word[0]))
            return true;
        foreach (string title in (ReadOnlySpan<string>)["Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Jr", "Sr", "Gen", "Gov", "Sen", "Rep", "Hon", "vs"])
            if (word.Equals(title, StringComparison.Ordinal))
                return true;
        return false;
    }

    /// <summary>A normal form for exact matching: NFKC, lower case, punctuation dropped, whitespace runs as one space,
    /// trimmed. Two texts that differ only in case, punctuation or spacing share it.</summary>
    public static string NormalizeForMatching(string text)
    {
        string folded = text.Normalize(NormalizationForm.FormKC);
        var builder = new StringBuilder(folded.Length);
        bool space = false;
        foreach (char c in folded)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
                or UnicodeCategory.OtherPunctuation)
                continue;
            if (space)
                builder.Append(' ');
            space = false;
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }
}
