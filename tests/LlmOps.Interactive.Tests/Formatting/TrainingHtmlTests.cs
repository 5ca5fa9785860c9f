using LlmOps.Interactive.Stages.Pretraining;
using System.Text.Json.Nodes;
using LlmOps.Core.Training;
using LlmOps.Interactive.Formatting;

namespace LlmOps.Interactive.Tests.Formatting;

public class TrainingHtmlTests
{
    static PretrainProgress Progress(int steps, int total = 5000) => new("tiny", steps, total,
        [.. Enumerable.Range(1, steps).Select(s => new TrainStep(s, 5.0 - (s * 1e-4), 1e-3 * Math.Min(1, s / 100.0), 1.0, 12345, 0.031))],
        [new EvalPoint(250, 4.2), new EvalPoint(500, 3.9)], 1e-3, 12345, 0.031, 75, 600, "cpu fp32");

    [Fact]
    public void A_run_in_flight_shows_train_and_validation_loss_with_the_learning_rate_on_a_second_axis()
    {
        var bundle = MimeRenderer.Render(Progress(600), new RenderContext());
        Assert.Equal("text/plain", bundle[0].Key);
        Assert.Contains("step 600/5000", bundle[0].Value, StringComparison.Ordinal);
        string html = bundle.Single(b => b.Key == "text/html").Value;
        Assert.Contains("12,345 tok/s", html, StringComparison.Ordinal);
        Assert.Contains("MFU 3.1%", html, StringComparison.Ordinal);
        Assert.Contains("ETA 10m00s", html, StringComparison.Ordinal);
        Assert.Contains("<progress max=\"5000\" value=\"600\"", html, StringComparison.Ordinal);
        Assert.Contains("Plotly.newPlot(", html, StringComparison.Ordinal);

        var figure = TrainingHtml.Curves("tiny", Progress(600).Train, Progress(600).Validation);
        var traces = figure["data"]!.AsArray();
        Assert.Equal(["train loss", "val loss", "learning rate"], traces.Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal("y2", traces[2]!["yaxis"]!.GetValue<string>());
        Assert.Equal("y", figure["layout"]!["yaxis2"]!["overlaying"]!.GetValue<string>());
        Assert.Equal([250, 500], traces[1]!["x"]!.AsArray().Select(x => x!.GetValue<int>()));
    }

    [Fact]
    public void Long_runs_are_thinned_for_the_chart_keeping_the_last_step()
    {
        var progress = Progress(9000, total: 9000);
        var x = TrainingHtml.Curves("long", progress.Train, progress.Validation)["data"]![0]!["x"]!.AsArray();
        Assert.InRange(x.Count, TrainingHtml.MaxPoints, TrainingHtml.MaxPoints + 1);
        Assert.Equal(1, x[0]!.GetValue<int>());
        Assert.Equal(9000, x[^1]!.GetValue<int>());
    }

    [Fact]
    public void A_finished_session_shows_its_summary_table_and_curves()
    {
        var p = Progress(100, 100);
        var result = new PretrainResult("tiny", PretrainStatus.Diverged, "Diverged at step 101: ...", 100, 200, null, 4.99, 4.2, 3.9, 500,
            1000, 12, 1234, 0.02, 1e11, "cpu fp32", "/out/checkpoints/step-000100", null, ["/out/checkpoints/step-000100"], null, p.Train, p.Validation);
        string html = MimeRenderer.Render(result, new RenderContext()).Single(b => b.Key == "text/html").Value;
        Assert.Contains("diverged", html, StringComparison.Ordinal);
        Assert.Contains("Diverged at step 101", html, StringComparison.Ordinal);
        Assert.Contains("step-000100", html, StringComparison.Ordinal);
        Assert.IsType<JsonObject>(TrainingHtml.Curves("t", p.Train, p.Validation));
    }
}
