using System.Text.RegularExpressions;

namespace LlmOps.Core.Evaluation;

/// <summary>ROUGE-L F-measure as Google's <c>rouge-score</c> package computes it (Lin 2004, "ROUGE: A Package for
/// Automatic Evaluation of Summaries", §3.1): both texts lower-cased, every run of characters other than a-z and 0-9
/// a separator; LCS the length of the longest common subsequence; precision LCS/|output|, recall LCS/|reference|,
/// F = 2PR/(P+R). HF evaluate's <c>rouge</c> reports the mean F over items, as <see cref="Mean"/> does.</summary>
/// <remarks>Written here because no maintained .NET ROUGE package exists (NuGet has none). No Porter stemming
/// (rouge-score's <c>use_stemmer</c>, off by default in HF evaluate).</remarks>
public static partial class RougeL
{
    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonAlphanumeric();

    /// <summary>rouge-score's default tokeniser.</summary>
    public static string[] Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return NonAlphanumeric().Replace(text.ToLowerInvariant(), " ").Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>ROUGE-L F of <paramref name="output"/> against <paramref name="reference"/>, 0 to 1.</summary>
    public static double Score(string output, string reference)
    {
        string[] candidate = Tokenize(output), target = Tokenize(reference);
        if (candidate.Length == 0 || target.Length == 0)
            return 0;
        int lcs = LongestCommonSubsequence(target, candidate);
        if (lcs == 0)
            return 0;
        double precision = (double)lcs / candidate.Length, recall = (double)lcs / target.Length;
        return 2 * precision * recall / (precision + recall);
    }

    /// <summary>The mean ROUGE-L F over index-aligned outputs and references (0 for none).</summary>
    public static double Mean(IReadOnlyList<string> outputs, IReadOnlyList<string> references)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(references);
        if (outputs.Count != references.Count)
            throw new ArgumentException($"{outputs.Count} outputs but {references.Count} references.", nameof(references));
        return outputs.Count == 0 ? 0 : outputs.Select((o, i) => Score(o, references[i])).Average();
    }

    static int LongestCommonSubsequence(string[] a, string[] b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        foreach (string x in a)
        {
            for (int j = 1; j <= b.Length; j++)
                current[j] = string.Equals(x, b[j - 1], StringComparison.Ordinal) ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
