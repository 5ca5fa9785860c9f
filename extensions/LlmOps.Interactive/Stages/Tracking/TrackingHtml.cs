using System.Text.Json.Nodes;
using LlmOps.Core.Display;
using LlmOps.Core.Tracking;

using LlmOps.Interactive.Formatting;

namespace LlmOps.Interactive.Stages.Tracking;

/// <summary>The run store's records as HTML: the tables of <see cref="TrackingText"/>, and for one run or a comparison,
/// its metric curves overlaid in one chart per metric (drawn offline).</summary>
static class TrackingHtml
{
    /// <summary>One run: its table and one chart per metric.</summary>
    public static string Run(RunDetails run, RenderContext context) => HtmlCard.Card(HtmlCard.Table(TrackingText.Run(run)),
        string.Concat(run.Metrics.Keys.Select(m => ChartRenderer.Html(Curves(m, [run]), context))));

    /// <summary>A comparison: its table and the runs' curves overlaid, one chart per metric.</summary>
    public static string Comparison(RunComparison comparison, RenderContext context) => HtmlCard.Card(HtmlCard.Table(TrackingText.Comparison(comparison)),
        string.Concat(comparison.Metrics.Select(m => ChartRenderer.Html(Curves(m, comparison.Runs), context))));

    /// <summary>One line per run for <paramref name="metric"/>: step on x, value on y; gaps where a value was not finite.</summary>
    public static JsonObject Curves(string metric, IEnumerable<RunDetails> runs) => new()
    {
        ["data"] = new JsonArray([.. runs.Where(r => r.Metrics.ContainsKey(metric)).Select(r => (JsonNode)new JsonObject
        {
            ["type"] = "scatter",
            ["mode"] = "lines",
            ["name"] = $"{r.Summary.Name} ({r.Summary.Id[..15]})",
            ["x"] = new JsonArray([.. r.Metrics[metric].Select(p => (JsonNode)JsonValue.Create(p.Step))]),
            ["y"] = new JsonArray([.. r.Metrics[metric].Select(p => double.IsFinite(p.Value) ? JsonValue.Create(p.Value) : null)]),
        })]),
        ["layout"] = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = metric },
            ["width"] = 640,
            ["height"] = 360,
            ["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "step" } },
            ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = metric } },
        },
    };
}
