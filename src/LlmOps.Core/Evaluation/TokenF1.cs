using System.Text;
using System.Text.RegularExpressions;

namespace LlmOps.Core.Evaluation;

/// <summary>SQuAD's token F1 (the official <c>evaluate-v2.0.py</c>): both texts normalised by
/// <see cref="NormalizeAnswer"/>, split on white space, and scored by the overlap of their token multisets;
/// two empty answers score 1 and one empty answer 0.</summary>
public static partial class TokenF1
{
    [GeneratedRegex(@"\b(a|an|the)\b")]
    private static partial Regex Articles();

    /// <summary>SQuAD's <c>normalize_answer</c>: lower case, ASCII punctuation (Python's <c>string.punctuation</c>)
    /// removed, the articles a/an/the removed, white space collapsed.</summary>
    public static string NormalizeAnswer(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var kept = new StringBuilder(text.Length);
        foreach (char c in text.ToLowerInvariant())
            if (!(c < 128 && char.IsPunctuation(c) || c < 128 && char.IsSymbol(c)))
                kept.Append(c);
        return string.Join(' ', Articles().Replace(kept.ToString(), " ").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>F1 of <paramref name="answer"/> against <paramref name="expected"/>, 0 to 1.</summary>
    public static double Score(string answer, string expected)
    {
        string[] predicted = NormalizeAnswer(answer).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string[] gold = NormalizeAnswer(expected).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (predicted.Length == 0 || gold.Length == 0)
            return predicted.Length == gold.Length ? 1 : 0;
        var remaining = gold.GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        int same = 0;
        foreach (string token in predicted)
            if (remaining.TryGetValue(token, out int left) && left > 0)
            {
                remaining[token] = left - 1;
                same++;
            }
        if (same == 0)
            return 0;
        double precision = (double)same / predicted.Length, recall = (double)same / gold.Length;
        return 2 * precision * recall / (precision + recall);
    }
}
