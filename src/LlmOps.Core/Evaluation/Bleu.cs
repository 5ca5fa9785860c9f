using System.Text.RegularExpressions;

namespace LlmOps.Core.Evaluation;

/// <summary>
/// Corpus BLEU-4 as sacrebleu computes it by default (Post 2018, "A Call for Clarity in Reporting BLEU Scores";
/// Papineni et al. 2002): <see cref="Tokenize13a"/> tokenisation, n-gram counts clipped by the most any one
/// reference has, precisions summed over the whole corpus (not averaged per sentence), the geometric mean of the
/// four precisions, the brevity penalty exp(1 − r/c) against the closest reference length, <c>exp</c> smoothing for
/// a zero precision, and the score on sacrebleu's 0-100 scale.
/// </summary>
/// <remarks>Written here because no maintained .NET BLEU package exists (NuGet has none). Differences from
/// sacrebleu: 13a's rules are ASCII (sacrebleu's are too, so non-ASCII text is only split on white space there as here),
/// and there is no <c>intl</c> tokeniser, no lower-casing option and no signature string. HF evaluate's <c>bleu</c>
/// differs from sacrebleu in using the shortest reference length and no smoothing.</remarks>
public static partial class Bleu
{
    /// <summary>The n-gram order.</summary>
    public const int MaxOrder = 4;

    [GeneratedRegex(@"([\{-\~\[-\` -\&\(-\+\:-\@\/])")]
    private static partial Regex Punctuation();

    [GeneratedRegex(@"([^0-9])([\.,])")]
    private static partial Regex PeriodCommaAfter();

    [GeneratedRegex(@"([\.,])([^0-9])")]
    private static partial Regex PeriodCommaBefore();

    [GeneratedRegex(@"([0-9])(-)")]
    private static partial Regex DashAfterDigit();

    /// <summary>sacrebleu's <c>13a</c> tokeniser (mteval-v13a.pl): markup unescaped, punctuation split off, periods
    /// and commas split unless between digits, a dash after a digit split.</summary>
    public static string[] Tokenize13a(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        line = line.Replace("<skipped>", "", StringComparison.Ordinal).Replace("-\n", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
        if (line.Contains('&', StringComparison.Ordinal))
            line = line.Replace("&quot;", "\"", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal)
                .Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal);
        line = $" {line} ";
        line = Punctuation().Replace(line, " $1 ");
        line = PeriodCommaAfter().Replace(line, "$1 $2 ");
        line = PeriodCommaBefore().Replace(line, " $1 $2");
        line = DashAfterDigit().Replace(line, "$1 $2 ");
        return line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Corpus BLEU of <paramref name="hypotheses"/>, each against its own references.</summary>
    /// <param name="hypotheses">One output per item.</param>
    /// <param name="references">Per item, one or more reference texts (index-aligned with the hypotheses).</param>
    public static BleuScore Corpus(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> references)
    {
        ArgumentNullException.ThrowIfNull(hypotheses);
        ArgumentNullException.ThrowIfNull(references);
        if (hypotheses.Count != references.Count)
            throw new ArgumentException($"{hypotheses.Count} hypotheses but {references.Count} reference sets.", nameof(references));
        var correct = new long[MaxOrder];
        var total = new long[MaxOrder];
        long hypothesisLength = 0, referenceLength = 0;
        for (int i = 0; i < hypotheses.Count; i++)
        {
            if (references[i].Count == 0)
                throw new ArgumentException($"Item {i} has no reference.", nameof(references));
            string[] hypothesis = Tokenize13a(hypotheses[i]);
            var refs = references[i].Select(Tokenize13a).ToList();
            hypothesisLength += hypothesis.Length;
            // sacrebleu's closest reference length; a tie goes to the shorter one.
            referenceLength += refs.Select(r => r.Length).OrderBy(l => Math.Abs(l - hypothesis.Length)).ThenBy(l => l).First();
            var maxReferenceCounts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var reference in refs)
                foreach (var (gram, count) in NGrams(reference))
                    maxReferenceCounts[gram] = Math.Max(count, maxReferenceCounts.GetValueOrDefault(gram));
            foreach (var (gram, count) in NGrams(hypothesis))
            {
                int order = gram.Count(c => c == '\u0001');
                total[order] += count;
                correct[order] += Math.Min(count, maxReferenceCounts.GetValueOrDefault(gram));
            }
        }
        var precisions = new double[MaxOrder];
        if (correct.All(c => c == 0)) // sacrebleu stops early: no matching unigram at all is 0, not a smoothed score
            return new BleuScore(0, precisions, 0, hypothesisLength, referenceLength);
        double smoothing = 1, logSum = 0;
        for (int n = 0; n < MaxOrder; n++)
        {
            if (total[n] == 0)
            {
                // No n-grams of this order at all (every hypothesis shorter than n): sacrebleu's score is 0.
                precisions[n] = 0;
                logSum = double.NegativeInfinity;
                continue;
            }
            if (correct[n] == 0)
            {
                smoothing *= 2; // sacrebleu's 'exp' smoothing: 1/2^k for the k-th zero precision
                precisions[n] = 100.0 / (smoothing * total[n]);
            }
            else
                precisions[n] = 100.0 * correct[n] / total[n];
            logSum += Math.Log(precisions[n]);
        }
        double brevity = hypothesisLength == 0 ? 0 : hypothesisLength < referenceLength ? Math.Exp(1 - (double)referenceLength / hypothesisLength) : 1;
        double score = hypothesisLength == 0 || double.IsNegativeInfinity(logSum) ? 0 : brevity * Math.Exp(logSum / MaxOrder);
        return new BleuScore(score, precisions, brevity, hypothesisLength, referenceLength);
    }

    /// <summary>Counts of every 1- to 4-gram, keyed by the tokens joined with U+0001 (a character 13a never emits),
    /// so the key's separator count gives its order.</summary>
    static Dictionary<string, int> NGrams(string[] tokens)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int n = 1; n <= MaxOrder; n++)
            for (int start = 0; start + n <= tokens.Length; start++)
            {
                string gram = string.Join('\u0001', tokens, start, n);
                counts[gram] = counts.GetValueOrDefault(gram) + 1;
            }
        return counts;
    }
}
