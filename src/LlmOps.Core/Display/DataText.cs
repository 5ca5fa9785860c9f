using System.Globalization;
using System.Text;
using LlmOps.Core.Data.Cleaning;
using LlmOps.Core.Data.Mixing;
using LlmOps.Core.Data.Stats;

namespace LlmOps.Core.Display;

/// <summary>The data stage's records as tables and text: the console and text/plain show these, and the HTML forms
/// are built from the same tables plus charts.</summary>
public static class DataText
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    static readonly string[] SplitParts = ["train", "validation", "test"];

    /// <summary>The headline numbers of <paramref name="stats"/>.</summary>
    public static TextTable Summary(DataStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        List<string[]> rows = [["documents", N(stats.Documents)], ["characters", N(stats.Characters)], ["words", N(stats.Words)]];
        if (stats.Tokens is { } tokens)
            rows.Add([$"tokens ({stats.Tokenizer})", N(tokens)]);
        rows.Add(["length (chars)", string.Create(Invariant, $"mean {stats.Lengths.Mean:F0}, median ≈{stats.Lengths.Median:F0}, min {stats.Lengths.Min:N0}, max {stats.Lengths.Max:N0}")]);
        rows.Add(["non-ASCII characters", Percent(stats.NonAsciiShare)]);
        rows.Add(["scripts (letters)", string.Join(", ", stats.Scripts.Select(s => $"{s.Key} {Percent((double)s.Value / Math.Max(1, stats.Scripts.Values.Sum()))}"))]);
        rows.Add(["HTML documents", Percent(stats.HtmlShare)]);
        rows.Add(["boilerplate lines", Percent(stats.BoilerplateLineShare)]);
        foreach (var probe in stats.Probes)
        {
            if (probe.Removed > 0 || probe.Counters.Count == 0)
                rows.Add([$"{probe.Name}: would remove", $"{N(probe.Removed)} ({Percent(probe.RemovedShare)})"]);
            if (probe.Counters.Count > 0)
                rows.Add([$"{probe.Name}: counts", string.Join(", ", probe.Counters.OrderByDescending(c => c.Value).Select(c => $"{c.Key} {N(c.Value)}"))]);
        }
        rows.Add(["measured in", string.Create(Invariant, $"{stats.Seconds:F1} s")]);
        return new TextTable($"Data stats: {stats.Name}", ["measure", "value"], rows);
    }

    /// <summary>Per-source rows of <paramref name="stats"/>.</summary>
    public static TextTable Sources(DataStats stats) => new("Sources", ["source", "documents", "characters", "words", "share"],
        [.. stats.Sources.Select(s => new[] { s.Source, N(s.Documents), N(s.Characters), N(s.Words), Percent(s.CharacterShare) })]);

    /// <summary>Top words and bigrams of <paramref name="stats"/>, side by side.</summary>
    public static TextTable Ngrams(DataStats stats) => new("Frequent words and bigrams (stop words skipped)", ["word", "count", "bigram", "count "],
        [.. Enumerable.Range(0, Math.Max(stats.TopWords.Count, stats.TopBigrams.Count)).Select(i => new[]
        {
            i < stats.TopWords.Count ? stats.TopWords[i].Text : "", i < stats.TopWords.Count ? N(stats.TopWords[i].Count) : "",
            i < stats.TopBigrams.Count ? stats.TopBigrams[i].Text : "", i < stats.TopBigrams.Count ? N(stats.TopBigrams[i].Count) : "",
        })]);

    /// <summary>One row per step of a cleaning run.</summary>
    public static TextTable Steps(CleaningReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new TextTable(
            string.Create(Invariant, $"Cleaning: {N(report.Input)} documents in, {N(report.Output)} kept ({Percent(report.Input == 0 ? 0 : (double)report.Output / report.Input)}), {report.Seconds:F1} s{(report.Cancelled ? ", CANCELLED" : "")}"),
            ["step", "in", "kept", "removed", "changed", "top reasons", "seconds"],
            [.. report.Steps.Select(s => new[]
            {
                s.Name, N(s.Input), N(s.Kept), N(s.Removed), N(s.Changed),
                string.Join("; ", s.RemovedBy.OrderByDescending(r => r.Value).Take(3).Select(r => $"{r.Key} {N(r.Value)}")
                    .Concat(s.Counters.OrderByDescending(c => c.Value).Take(3).Select(c => $"{c.Key} {N(c.Value)}"))),
                s.Seconds.ToString("F2", Invariant),
            })]);
    }

    /// <summary>One row per source of a mix.</summary>
    public static TextTable Mix(DataMix mix)
    {
        ArgumentNullException.ThrowIfNull(mix);
        return new TextTable($"Mix: {N(mix.Documents.Count)} documents", ["source", "weight", "available chars", "taken chars", "documents", "epochs"],
            [.. mix.Components.Select(c => new[] { c.Source, Percent(c.Weight), N(c.AvailableCharacters), N(c.TakenCharacters), N(c.Documents), c.Epochs.ToString("F2", Invariant) })]);
    }

    /// <summary>The sizes of a split.</summary>
    public static TextTable Split(DataSplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        long total = split.Train.Count + split.Validation.Count + split.Test.Count;
        return new TextTable("Split by content hash", ["part", "documents", "share", "characters"],
            [.. SplitParts.Select(part => new[]
            {
                part, N(split[part].Count), Percent(total == 0 ? 0 : (double)split[part].Count / total), N(split[part].Sum(d => (long)d.Text.Length)),
            })]);
    }

    /// <summary>The tables of <paramref name="stats"/>: summary, sources, n-grams.</summary>
    public static IReadOnlyList<TextTable> Tables(DataStats stats) => [Summary(stats), Sources(stats), Ngrams(stats)];

    /// <summary>The text form of <paramref name="stats"/>.</summary>
    public static string Text(DataStats stats) => TextTable.Join(Tables(stats));

    /// <summary>The text form of <paramref name="report"/>: its steps and where the rejects went.</summary>
    public static string Text(CleaningReport report) => Steps(report).ToText() + $"rejects: {report?.RejectsPath}\n";

    /// <summary>One progress line of a cleaning run.</summary>
    public static string Text(CleaningProgress progress) => string.Create(Invariant,
        $"cleaning: {N(progress.Documents)} documents, {N(progress.Kept)} kept, {progress.Megabytes:F1} MB in {progress.ElapsedSeconds:F1} s");

    static string N(long value) => value.ToString("N0", Invariant);

    static string Percent(double share) => (share * 100).ToString(share is > 0 and < 0.001 ? "F3" : "F1", Invariant) + "%";
}
