using System.Globalization;

namespace LlmOps.Core.Data.Cleaning;

/// <summary>
/// Removes documents that do not look like prose by the Gopher quality rules, checked in the paper's (and datatrove's)
/// order; the first rule that fails names the removal (<c>gopher:min_words</c>, <c>gopher:max_words</c>,
/// <c>gopher:mean_word_length</c>, <c>gopher:hash_ratio</c>, <c>gopher:ellipsis_ratio</c>, <c>gopher:bullet_lines</c>,
/// <c>gopher:ellipsis_lines</c>, <c>gopher:alpha_words</c>, <c>gopher:stop_words</c>) and its detail gives the
/// measured value and the bound.
/// <para>Words are <see cref="TextUnits.Words"/> (whitespace-separated, punctuation attached), where datatrove uses a
/// language tokenizer that splits punctuation off; so word lengths here include attached punctuation, and stop words
/// are matched after trimming punctuation and lower-casing (datatrove matches tokens exactly, case-sensitively).</para>
/// </summary>
public sealed class GopherQualityFilter(GopherQualityConfig? config = null) : ICleaningStep
{
    readonly GopherQualityConfig config = config ?? new GopherQualityConfig();

    /// <inheritdoc />
    public string Name => "gopher-quality";

    /// <inheritdoc />
    public object Config => config;

    /// <inheritdoc />
    public Document? Apply(Document document, StepRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(recorder);
        string text = document.Text;
        string[] words = TextUnits.Words(text);
        string[] counted = [.. words.Where(w => !IsSymbols(w))];

        if (config.MinWords is int minWords && counted.Length < minWords)
            return recorder.Remove("gopher:min_words", $"{counted.Length} words < {minWords}");
        if (config.MaxWords is int maxWords && counted.Length > maxWords)
            return recorder.Remove("gopher:max_words", $"{counted.Length} words > {maxWords}");
        if (words.Length == 0)
            return document; // with the word bounds switched off, nothing below is measurable

        if (counted.Length > 0)
        {
            double meanLength = counted.Average(w => w.Length);
            if (config.MinMeanWordLength is double minMean && meanLength < minMean)
                return recorder.Remove("gopher:mean_word_length", $"mean word length {F(meanLength)} < {F(minMean)}");
            if (config.MaxMeanWordLength is double maxMean && meanLength > maxMean)
                return recorder.Remove("gopher:mean_word_length", $"mean word length {F(meanLength)} > {F(maxMean)}");
        }

        if (config.MaxSymbolWordRatio is double maxSymbols)
        {
            double hashes = (double)text.Count(c => c == '#') / words.Length;
            if (hashes > maxSymbols)
                return recorder.Remove("gopher:hash_ratio", $"# to word ratio {F(hashes)} > {F(maxSymbols)}");
            double ellipses = (double)(Occurrences(text, "...") + Occurrences(text, "…")) / words.Length;
            if (ellipses > maxSymbols)
                return recorder.Remove("gopher:ellipsis_ratio", $"ellipsis to word ratio {F(ellipses)} > {F(maxSymbols)}");
        }

        string[] lines = Lines(text);
        if (config.MaxBulletLineFraction is double maxBullets)
        {
            double bullets = (double)lines.Count(l => config.BulletPrefixes.Any(b => l.TrimStart().StartsWith(b, StringComparison.Ordinal))) / lines.Length;
            if (bullets > maxBullets)
                return recorder.Remove("gopher:bullet_lines", $"fraction of lines starting with a bullet {F(bullets)} > {F(maxBullets)}");
        }
        if (config.MaxEllipsisLineFraction is double maxEllipsisLines)
        {
            double ending = (double)lines.Count(EndsWithEllipsis) / lines.Length;
            if (ending > maxEllipsisLines)
                return recorder.Remove("gopher:ellipsis_lines", $"fraction of lines ending with an ellipsis {F(ending)} > {F(maxEllipsisLines)}");
        }

        if (config.MinAlphabeticWordFraction is double minAlpha)
        {
            double alphabetic = (double)words.Count(w => w.Any(char.IsLetter)) / words.Length;
            if (alphabetic < minAlpha)
                return recorder.Remove("gopher:alpha_words", $"fraction of words with a letter {F(alphabetic)} < {F(minAlpha)}");
        }

        if (config.MinStopWords is int minStop)
        {
            var stopWords = new HashSet<string>(config.StopWords, StringComparer.OrdinalIgnoreCase);
            var used = new SortedSet<string>(StringComparer.Ordinal);
            foreach (string word in words)
            {
                string bare = TrimPunctuation(word).ToLowerInvariant();
                if (stopWords.Contains(bare))
                    used.Add(bare);
            }
            if (used.Count < minStop)
                return recorder.Remove("gopher:stop_words", $"{used.Count} distinct stop words ({string.Join(", ", used)}) < {minStop}");
        }
        return document;
    }

    /// <summary>Lines as Python's <c>splitlines</c> gives them (a final line break does not start an empty line), so
    /// the line fractions match datatrove's.</summary>
    static string[] Lines(string text)
    {
        string[] lines = TextUnits.Lines(text);
        return lines.Length > 1 && lines[^1].Length == 0 ? lines[..^1] : lines;
    }

    static bool EndsWithEllipsis(string line)
    {
        string trimmed = line.TrimEnd();
        return trimmed.EndsWith("...", StringComparison.Ordinal) || trimmed.EndsWith('…');
    }

    static bool IsSymbols(string word) => word.All(IsSymbol);

    static bool IsSymbol(char c) => char.IsPunctuation(c) || char.IsSymbol(c);

    static string TrimPunctuation(string word)
    {
        int start = 0, end = word.Length;
        while (start < end && IsSymbol(word[start]))
            start++;
        while (end > start && IsSymbol(word[end - 1]))
            end--;
        return word[start..end];
    }

    static int Occurrences(string text, string value)
    {
        int count = 0;
        for (int at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
            count++;
        return count;
    }

    static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
