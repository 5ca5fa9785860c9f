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
