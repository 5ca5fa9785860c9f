using System.Diagnostics;
using System.IO.Hashing;
using System.Text;
using System.Text.RegularExpressions;
using LlmOps.Core.Data.Cleaning;

namespace LlmOps.Core.Data.Stats;

/// <summary>
/// Measures a corpus in one streaming pass: add documents, then take <see cref="Result"/>. Memory grows only with what
/// must be remembered (a hash per distinct substantial line, the n-gram counters, and whatever the probes keep).
/// </summary>
public sealed partial class DataStatsCollector
{
    const int MaxBins = 40;
    const int BoilerplateMinChars = 20;

    static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been", "before", "but", "by",
        "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "he", "her", "him", "his", "how", "i", "if",
        "in", "into", "is", "it", "its", "me", "more", "my", "no", "not", "now", "of", "on", "one", "only", "or", "other", "our",
        "out", "over", "she", "should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there", "these",
        "they", "this", "those", "to", "up", "upon", "us", "very", "was", "we", "were", "what", "when", "which", "who", "will",
        "with", "would", "you", "your",
    };

    readonly DataStatsOptions options;
    readonly string name;
    readonly Stopwatch clock = Stopwatch.StartNew();
    readonly long[] bins = new long[MaxBins];
    readonly Dictionary<string, long> scripts = new(StringComparer.Ordinal);
    readonly Dictionary<string, (long Documents, long Characters, long Words)> sources = new(StringComparer.Ordinal);
    readonly HashSet<ulong> seenLines = [];
    readonly TopCounter words = new(200_000);
    readonly TopCounter bigrams = new(200_000);
    readonly (ICleaningStep Step, StepRecorder Recorder, Dictionary<string, long> Counters)[] probes;
    readonly long[] probeRemoved;
    readonly StepRecorder recorder = new();
    long documents, characters, wordCount, tokens, nonAscii, html, substantialLines, boilerplateLines;
    long minLength = long.MaxValue, maxLength;

    /// <summary>A collector for a corpus called <paramref name="name"/>.</summary>
    public DataStatsCollector(string name, DataStatsOptions? options = null)
    {
        this.name = name;
        this.options = options ?? new DataStatsOptions();
        probes = [.. (this.options.Probes ?? []).Select(p => (p, new StepRecorder(), new Dictionary<string, long>(StringComparer.Ordinal)))];
        probeRemoved = new long[probes.Length];
    }

    /// <summary>Measures a whole corpus.</summary>
    public static DataStats Measure(string name, IEnumerable<Document> corpus, DataStatsOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var collector = new DataStatsCollector(name, options);
        foreach (var document in corpus)
        {
            cancellationToken.ThrowIfCancellationRequested();
            collector.Add(document);
        }
        return collector.Result();
    }

    /// <summary>Adds one document.</summary>
    public void Add(Document document)
    {
        ArgumentNullException.ThrowIfNull(document);
        string text = document.Text;
        documents++;
        characters += text.Length;
        minLength = Math.Min(minLength, text.Length);
        maxLength = Math.Max(maxLength, text.Length);
        bins[Math.Min(MaxBins - 1, text.Length <= 1 ? 0 : 63 - long.LeadingZeroCount(text.Length))]++;
        int documentWords = TextUnits.Words(text).Length;
        wordCount += documentWords;
        if (options.CountTokens is not null)
            tokens += options.CountTokens(text);

        foreach (char c in text)
        {
            if (c > 0x7F)
                nonAscii++;
            if (char.IsLetter(c))
            {
                string script = ScriptOf(c);
                scripts[script] = scripts.GetValueOrDefault(script) + 1;
            }
        }
        if (HtmlTag().Count(text) >= 2)
            html++;
        CountLines(text);
        CountNgrams(text);

        var (sourceDocuments, sourceCharacters, sourceWords) = sources.GetValueOrDefault(document.Source);
        sources[document.Source] = (sourceDocuments + 1, sourceCharacters + text.Length, sourceWords + documentWords);

        for (int i = 0; i < probes.Length; i++)
        {
            var (step, probeRecorder, counters) = probes[i];
            probeRecorder.Reset();
            if (step.Apply(document, probeRecorder) is null)
                probeRemoved[i]++;
            foreach (var (counter, amount) in probeRecorder.Counters)
                counters[counter] = counters.GetValueOrDefault(counter) + amount;
        }
    }

    /// <summary>The measurements so far.</summary>
    public DataStats Result()
    {
        int last = Array.FindLastIndex(bins, b => b > 0);
        var counts = bins.Take(last + 1).ToArray();
        var lengths = new LengthHistogram(counts, documents == 0 ? 0 : minLength, maxLength, documents == 0 ? 0 : (double)characters / documents, Median(counts));
        return new DataStats(
            name, documents, characters, wordCount, options.CountTokens is null ? null : tokens, options.Tokenizer, lengths,
            Share(nonAscii, characters),
            scripts.OrderByDescending(s => s.Value).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal),
            Share(html, documents),
            Share(boilerplateLines, substantialLines),
            [.. probes.Select((p, i) => new ProbeResult(p.Step.Name, probeRemoved[i], Share(probeRemoved[i], documents), new Dictionary<string, long>(p.Counters)))],
            words.Top(options.TopCount),
            bigrams.Top(options.TopCount),
            [.. sources.OrderByDescending(s => s.Value.Characters).ThenBy(s => s.Key, StringComparer.Ordinal)
                .Select(s => new SourceStats(s.Key, s.Value.Documents, s.Value.Characters, s.Value.Words, Share(s.Value.Characters, characters)))],
            clock.Elapsed.TotalSeconds);
    }

    void CountLines(string text)
    {
        var seenHere = new HashSet<ulong>();
        foreach (string line in TextUnits.Lines(text))
        {
            if (line.Length < BoilerplateMinChars)
                continue;
            string normal = TextUnits.NormalizeForMatching(line);
            if (normal.Length < BoilerplateMinChars)
                continue;
            substantialLines++;
            ulong hash = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(normal));
            if (seenLines.Contains(hash) && !seenHere.Contains(hash))
                boilerplateLines++;
            seenHere.Add(hash);
        }
        seenLines.UnionWith(seenHere);
    }

    void CountNgrams(string text)
    {
        string? previous = null;
        foreach (string word in TextUnits.NormalizeForMatching(text).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            // Tokens without a letter (quote marks like ">", numbers, markup debris) break n-grams rather than join them.
            if (!word.Any(char.IsLetter))
            {
                previous = null;
                continue;
            }
            bool stop = StopWords.Contains(word) || word.Length > 40;
            if (!stop)
                words.Add(word);
            if (previous is not null && !(stop && StopWords.Contains(previous)))
                bigrams.Add(previous + " " + word);
            previous = word.Length > 40 ? null : word;
        }
    }

    static double Median(long[] counts)
    {
        long total = counts.Sum();
        if (total == 0)
            return 0;
        double half = total / 2.0, below = 0;
        for (int k = 0; k < counts.Length; k++)
        {
            if (below + counts[k] >= half)
            {
                double low = k == 0 ? 0 : 1L << k, high = 1L << (k + 1);
                double fraction = counts[k] == 0 ? 0 : (half - below) / counts[k];
                return k == 0 ? fraction * high : low * Math.Pow(high / low, fraction);
            }
            below += counts[k];
        }
        return 1L << counts.Length;
    }

    static double Share(long part, long whole) => whole == 0 ? 0 : (double)part / whole;

    /// <summary>The writing system of a letter, by Unicode block.</summary>
    internal static string ScriptOf(char c) => c switch
    {
        <= '\u024F' or (>= '\u1E00' and <= '\u1EFF') => "Latin",
        >= '\u0370' and <= '\u03FF' => "Greek",
        >= '\u0400' and <= '\u052F' => "Cyrillic",
        >= '\u0590' and <= '\u05FF' => "Hebrew",
        (>= '\u0600' and <= '\u06FF') or (>= '\u0750' and <= '\u077F') => "Arabic",
        >= '\u0900' and <= '\u097F' => "Devanagari",
        (>= '\u3040' and <= '\u30FF') => "Kana",
        (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or (>= '\uF900' and <= '\uFAFF') => "Han",
        >= '\uAC00' and <= '\uD7AF' => "Hangul",
        _ => "Other",
    };

    [GeneratedRegex(@"<\s*/?\s*(html|head|body|p|div|br|table|tr|td|font|span|a|img|center|b|i)\b[^>]*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HtmlTag();
}
