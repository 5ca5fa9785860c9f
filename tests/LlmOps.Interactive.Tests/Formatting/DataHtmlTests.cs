using LlmOps.Core.Data;
using LlmOps.Core.Data.Cleaning;
using LlmOps.Core.Data.Mixing;
using LlmOps.Core.Data.Stats;
using LlmOps.Core.Display;
using LlmOps.Interactive.Formatting;
using LlmOps.Tests;

namespace LlmOps.Interactive.Tests.Formatting;

public class DataHtmlTests
{
    static readonly Document[] Corpus =
    [
        new("1", "The budget <b>passed</b> the Senate today.", "news"),
        new("2", "Привет, мир! A greeting in two scripts.", "web"),
        new("3", "The budget <b>passed</b> the Senate today.", "news"),
    ];

    sealed class DropHtml : ICleaningStep
    {
        public string Name => "drop-html";
        public object Config => new { };
        public Document? Apply(Document document, StepRecorder recorder) =>
            document.Text.Contains('<', StringComparison.Ordinal) ? recorder.Remove("html:tag", "has a tag") : document;
    }

    [Fact]
    public void Data_stats_render_as_a_card_with_tables_and_offline_charts_and_a_text_fallback()
    {
        var stats = DataStatsCollector.Measure("sample", Corpus);
        var bundle = MimeRenderer.Render(stats, new RenderContext());

        Assert.Equal("text/plain", bundle[0].Key);
        Assert.Contains("Data stats: sample", bundle[0].Value, StringComparison.Ordinal);
        Assert.Contains("documents", bundle[0].Value, StringComparison.Ordinal);
        string html = bundle.Single(b => b.Key == "text/html").Value;
        Assert.Contains(PlotlyJs.Script, html, StringComparison.Ordinal);
        Assert.Contains("Document length (characters)", html, StringComparison.Ordinal);
        Assert.Contains("Letters by script", html, StringComparison.Ordinal); // Latin and Cyrillic
        Assert.Contains("<td style=\"text-align:left\">news</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>passed</b>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cleaning_report_shows_each_step_its_removals_and_escaped_examples()
    {
        using var rejects = new RejectsWriter(Path.Combine(RepoPaths.NewTempFolder("llmops-report"), "rejects.jsonl"));
        using var _ = DisplayHook.Use(new RecordingSink());
        var (_, report) = new CleaningPipeline([new DropHtml()], rejects).Run(Corpus);

        var bundle = MimeRenderer.Render(report, new RenderContext());

        Assert.Contains("drop-html", bundle[0].Value, StringComparison.Ordinal);
        Assert.Contains("html:tag 2", bundle[0].Value, StringComparison.Ordinal);
        string html = bundle.Single(b => b.Key == "text/html").Value;
        Assert.Contains("Documents removed per step", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;passed&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.Contains(rejects.Path, html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_split_renders_its_parts()
    {
        var split = HashSplitter.Split(Corpus, new SplitRatios(1, 0, 0));
        string text = MimeRenderer.Render(split, new RenderContext())[0].Value;
        Assert.Contains("train", text, StringComparison.Ordinal);
        Assert.Contains("100.0%", text, StringComparison.Ordinal);
    }

}

public class TrackingHtmlTests
{
    [Fact]
    public void A_comparison_overlays_each_runs_curve_in_one_chart_per_metric()
    {
        var store = LlmOps.Core.Tracking.RunStore.Open(Path.Combine(RepoPaths.NewTempFolder("llmops-html-runs"), "runs.db"));
        var ids = new List<string>();
        for (int r = 0; r < 2; r++)
        {
            using var run = store.StartRun($"run{r}", "pretrain", new { seed = r });
            for (int step = 0; step < 3; step++)
                run.Log(step, "train/loss", 3 - step - r);
            run.Finish();
            ids.Add(run.Id);
        }

        var bundle = MimeRenderer.Render(store.Compare(ids), new RenderContext());

        Assert.Contains("final train/loss", bundle[0].Value, StringComparison.Ordinal);
        string html = bundle.Single(b => b.Key == "text/html").Value;
        Assert.Contains(PlotlyJs.Script, html, StringComparison.Ordinal);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(html, "\"mode\":\"lines\""));
        Assert.Contains("seed", html, StringComparison.Ordinal);
    }
}
