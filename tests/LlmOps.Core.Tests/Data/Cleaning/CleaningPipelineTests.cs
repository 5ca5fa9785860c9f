using System.Text.Json;
using LlmOps.Core.Data;
using LlmOps.Core.Data.Cleaning;
using LlmOps.Core.Display;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Data.Cleaning;

public class CleaningPipelineTests
{
    /// <summary>Removes documents shorter than a bound.</summary>
    sealed class MinLength(int bound) : ICleaningStep
    {
        public string Name => "min-length";
        public object Config => new { bound };
        public Document? Apply(Document document, StepRecorder recorder) =>
            document.Text.Length >= bound ? document : recorder.Remove("min-length:chars", $"{document.Text.Length} chars < {bound}");
    }

    /// <summary>Upper-cases documents and counts the letters it touched.</summary>
    sealed class Shout : ICleaningStep
    {
        public string Name => "shout";
        public object Config => new { };
        public Document? Apply(Document document, StepRecorder recorder)
        {
            recorder.Count("letters", document.Text.Count(char.IsLower));
            string upper = document.Text.ToUpperInvariant();
            return upper == document.Text ? document : document with { Text = upper };
        }
    }

    static RejectsWriter NewRejects() => new(Path.Combine(RepoPaths.NewTempFolder("llmops-clean"), "rejects.jsonl"));

    [Fact]
    public void Each_step_reports_its_counts_and_every_removed_document_is_in_the_rejects_file_with_its_reason()
    {
        using var rejects = NewRejects();
        var sink = new RecordingSink();
        using var _ = DisplayHook.Use(sink);
        var pipeline = new CleaningPipeline([new MinLength(5), new Shout()], rejects);
        Document[] input = [new("a", "hello world", "s"), new("b", "hi", "s"), new("c", "ALREADY LOUD", "s"), new("d", "tiny", "s")];

        var (kept, report) = pipeline.Run(input);

        Assert.Equal(["a", "c"], kept.Select(d => d.Id));
        Assert.Equal("HELLO WORLD", kept[0].Text);
        Assert.Equal((4L, 2L, 2L), (report.Input, report.Output, report.Removed));
        var minLength = report.Steps[0];
        Assert.Equal((4L, 2L, 2L), (minLength.Input, minLength.Kept, minLength.Removed));
        Assert.Equal(2L, minLength.RemovedBy["min-length:chars"]);
        var shout = report.Steps[1];
        Assert.Equal((2L, 2L, 1L), (shout.Input, shout.Kept, shout.Changed));
        Assert.Equal(10L, shout.Counters["letters"]);
        var example = Assert.Single(shout.Examples);
        Assert.Equal(("changed", "a", "hello world", "HELLO WORLD"), (example.Rule, example.Id, example.Before, example.After));

        rejects.Dispose();
        var lines = File.ReadAllLines(report.RejectsPath).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["b", "d"], lines.Select(l => l.GetProperty("id").GetString()));
        Assert.All(lines, l => Assert.Equal("min-length", l.GetProperty("step").GetString()));
        Assert.Equal("min-length:chars: 2 chars < 5", lines[0].GetProperty("reason").GetString());
        Assert.Equal("hi", lines[0].GetProperty("text").GetString());
        Assert.IsType<CleaningProgress>(sink.Values[^1]);
        Assert.Equal(4, ((CleaningProgress)sink.Values[^1]).Documents);
    }

    [Fact]
    public void A_cancelled_run_stops_between_documents_and_says_so()
    {
        using var rejects = NewRejects();
        using var _ = DisplayHook.Use(new RecordingSink());
        using var cancel = new CancellationTokenSource();
        var pipeline = new CleaningPipeline([new Shout()], rejects);
        var kept = new List<Document>();
        IEnumerable<Document> Input()
        {
            for (int i = 0; ; i++)
            {
                if (i == 3)
                    cancel.Cancel();
                yield return new Document($"{i}", "text", "s");
            }
        }

        var report = pipeline.Run(Input(), kept.Add, cancel.Token);

        Assert.True(report.Cancelled);
        Assert.Equal(3, report.Input);
        Assert.Equal(3, kept.Count);
    }

    [Fact]
    public void Steps_must_have_unique_names()
    {
        using var rejects = NewRejects();
        var error = Assert.Throws<ArgumentException>(() => new CleaningPipeline([new Shout(), new Shout()], rejects));
        Assert.Contains("'shout'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Examples_show_the_window_around_the_first_change()
    {
        string before = new string('a', 2000) + "SECRET" + new string('b', 2000);
        string after = new string('a', 2000) + "<PII>" + new string('b', 2000);

        var (windowBefore, windowAfter) = CleaningPipeline.Window(before, after);

        Assert.Contains("SECRET", windowBefore, StringComparison.Ordinal);
        Assert.Contains("<PII>", windowAfter, StringComparison.Ordinal);
        Assert.StartsWith("…", windowBefore, StringComparison.Ordinal);
        Assert.EndsWith("…", windowAfter!, StringComparison.Ordinal);
    }
}
