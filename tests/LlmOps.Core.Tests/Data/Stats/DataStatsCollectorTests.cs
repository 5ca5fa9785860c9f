using LlmOps.Core.Data;
using LlmOps.Core.Data.Cleaning;
using LlmOps.Core.Data.Stats;

namespace LlmOps.Core.Tests.Data.Stats;

public class DataStatsCollectorTests
{
    /// <summary>A probe that removes documents containing "spam" and counts digits.</summary>
    sealed class SpamProbe : ICleaningStep
    {
        public string Name => "spam";
        public object Config => new { };
        public Document? Apply(Document document, StepRecorder recorder)
        {
            recorder.Count("digits", document.Text.Count(char.IsDigit));
            return document.Text.Contains("spam", StringComparison.Ordinal) ? recorder.Remove("spam:word", "says spam") : document;
        }
    }

    [Fact]
    public void Counts_lengths_scripts_markup_boilerplate_ngrams_sources_and_probes()
    {
        const string footer = "To unsubscribe from this list send mail to the list admin";
        Document[] corpus =
        [
            new("1", $"Federal budget report for 2024\n{footer}", "mail"),
            new("2", $"<html><body><p>Buy spam now</p></body></html>\n{footer}", "mail"),
            new("3", "Привет мир", "web"),
            new("4", "The federal budget is balanced.", "web"),
        ];

        var stats = DataStatsCollector.Measure("sample", corpus, new DataStatsOptions(
            CountTokens: t => t.Length / 4, Tokenizer: "quarter", Probes: [new SpamProbe()], TopCount: 20));

        Assert.Equal(4, stats.Documents);
        Assert.Equal(corpus.Sum(d => (long)d.Text.Length), stats.Characters);
        Assert.Equal(corpus.Sum(d => (long)TextUnits.Words(d.Text).Length), stats.Words);
        Assert.Equal(corpus.Sum(d => (long)(d.Text.Length / 4)), stats.Tokens);
        Assert.Equal(9, stats.Scripts["Cyrillic"]);
        Assert.Equal(9.0 / stats.Characters, stats.NonAsciiShare, 6);
        Assert.Equal(0.25, stats.HtmlShare);
        // Substantial lines: "Federal budget report for 2024", the footer twice, the html line, the web sentence; one repeat.
        Assert.Equal(1.0 / 5, stats.BoilerplateLineShare, 6);
        Assert.Equal(new NgramCount("list", 4), stats.TopWords[0]); // twice in each footer
        Assert.Contains(new NgramCount("federal", 2), stats.TopWords);
        Assert.Contains(new NgramCount("federal budget", 2), stats.TopBigrams);
        Assert.Equal(["mail", "web"], stats.Sources.Select(s => s.Source));
        Assert.Equal(1.0, stats.Sources.Sum(s => s.CharacterShare), 9);
        var probe = stats.Probe("spam")!;
        Assert.Equal((1L, 0.25, 4L), (probe.Removed, probe.RemovedShare, probe.Counters["digits"]));
        Assert.Equal(stats.Documents, stats.Lengths.Counts.Sum());
        Assert.Equal((10L, corpus.Max(d => (long)d.Text.Length)), (stats.Lengths.Min, stats.Lengths.Max));
    }

    [Fact]
    public void The_median_length_is_estimated_within_its_bin()
    {
        var corpus = Enumerable.Range(0, 101).Select(i => new Document($"{i}", new string('a', 100 + i), "s"));

        var stats = DataStatsCollector.Measure("lengths", corpus);

        Assert.InRange(stats.Lengths.Median, 128, 160); // true median 150, all in bin 64–127 or 128–255
        Assert.Equal(150, stats.Lengths.Mean, 6);
        Assert.Equal("128–255", LengthHistogram.Label(7));
    }

    [Fact]
    public void An_empty_corpus_measures_as_zeros()
    {
        var stats = DataStatsCollector.Measure("empty", []);
        Assert.Equal((0L, 0L, 0.0), (stats.Documents, stats.Lengths.Min, stats.HtmlShare));
        Assert.Null(stats.Tokens);
    }
}
