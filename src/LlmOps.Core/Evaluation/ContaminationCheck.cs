using System.Text.RegularExpressions;

namespace LlmOps.Core.Evaluation;

/// <summary>Train/test overlap as the GPT-3 paper measures it (Brown et al. 2020, appendix C): an evaluation item is
/// contaminated when one of its 13-grams of lower-cased words also occurs in the training data. Words here are runs
/// of letters, digits and apostrophes, so punctuation and spacing differences do not hide an overlap. Items shorter
/// than n words are not checked (they have no n-gram).</summary>
public static partial class ContaminationCheck
{
    /// <summary>The GPT-3 paper's n.</summary>
    public const int DefaultN = 13;

    [GeneratedRegex(@"[\p{L}\p{N}']+")]
    private static partial Regex Word();

    /// <summary>The n-grams of <paramref name="text"/>: lower-cased words joined by single spaces.</summary>
    public static IEnumerable<string> NGrams(string text, int n = DefaultN)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        return NGrams(Words(text), n);
    }

    static string[] Words(string text) => [.. Word().Matches(text.ToLowerInvariant()).Select(m => m.Value)];

    static IEnumerable<string> NGrams(string[] words, int n)
    {
        for (int i = 0; i + n <= words.Length; i++)
            yield return string.Join(' ', words, i, n);
    }

    /// <summary>Checks every item of <paramref name="suite"/> (all its fields' text) against the n-grams of
    /// <paramref name="trainingFiles"/> (read as plain text).</summary>
    public static ContaminationReport Check(EvalSuite suite, IReadOnlyList<string> trainingFiles, int n = DefaultN, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(trainingFiles);
        var training = new HashSet<string>(StringComparer.Ordinal);
        foreach (string file in trainingFiles)
        {
            if (!File.Exists(file))
                throw new FileNotFoundException($"{file}: no such training file.", file);
            // Line by line keeps memory flat; the last n - 1 words carry over so an n-gram across a line break counts.
            string[] carry = [];
            foreach (string line in File.ReadLines(file))
            {
                cancellationToken.ThrowIfCancellationRequested();
                string[] words = [.. carry, .. Words(line)];
                training.UnionWith(NGrams(words, n));
                carry = words[Math.Max(0, words.Length - (n - 1))..];
            }
        }
        var found = new List<ContaminatedItem>();
        int checkedItems = 0;
        foreach (var task in suite.Tasks)
            foreach (var record in EvalData.ReadRecords(task.Data))
            {
                var grams = NGrams(string.Join(" ", record.Fields.Values), n).ToList();
                if (grams.Count == 0)
                    continue;
                checkedItems++;
                if (grams.FirstOrDefault(training.Contains) is { } gram)
                    found.Add(new ContaminatedItem(task.Name, task.Data, record.Line, gram));
            }
        return new(n, checkedItems, found);
    }
}
