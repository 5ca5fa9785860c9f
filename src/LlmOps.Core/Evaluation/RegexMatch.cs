using System.Text.RegularExpressions;

namespace LlmOps.Core.Evaluation;

/// <summary>The <c>regex</c> metric: lm-evaluation-harness's <c>regex</c> filter followed by <c>exact_match</c>. The
/// task's pattern picks the answer out of the output (its first group when it has one, else the whole match; the
/// harness's GSM8K tasks use <c>#### (\-?[0-9\.\,]+)</c>), and that answer is compared with the expected text by
/// <see cref="ExactMatch"/>. An output the pattern does not match scores 0 (the harness's <c>[invalid]</c>).</summary>
public static class RegexMatch
{
    /// <summary>The answer <paramref name="pattern"/> extracts from <paramref name="output"/>, or null when it does not match.</summary>
    public static string? Extract(Regex pattern, string output)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(output);
        var match = pattern.Match(output);
        if (!match.Success)
            return null;
        return match.Groups.Count > 1 ? match.Groups[1].Value : match.Value;
    }

    /// <summary>Whether the extracted answer equals <paramref name="expected"/>.</summary>
    public static bool Matches(Regex pattern, string output, string expected) => Extract(pattern, output) is { } answer && ExactMatch.Matches(answer, expected);
}
