using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmOps.Core.Data.Cleaning;
using LlmOps.Core.Data.Mixing;
using LlmOps.Core.Data.Stats;
using LlmOps.Core.Display;

using LlmOps.Interactive.Formatting;

namespace LlmOps.Interactive.Stages.Data;

/// <summary>
/// The data stage's records as HTML cards: the same tables as their text forms (<see cref="DataText"/>), plus charts
/// (length histogram, scripts, per-step removals) drawn offline with the document's one copy of plotly.js, and
/// before/after examples for cleaning steps.
/// </summary>
static class DataHtml
{
    /// <summary>Stats as tables beside a length histogram and a script chart.</summary>
    public static string Stats(DataStats stats, RenderContext context)
    {
        var lengths = Bar("Document length (characters)", [.. Enumerable.Range(0, stats.Lengths.Counts.Count).Select(LengthHistogram.Label)],
            [.. stats.Lengths.Counts.Select(c => (double)c)], "documents");
        long letters = Math.Max(1, stats.Scripts.Values.Sum());
        var scripts = Bar("Letters by script", [.. stats.Scripts.Keys], [.. stats.Scripts.Values.Select(v => 100.0 * v / letters)], "% of letters");
        return HtmlCard.Card(
            Row(HtmlCard.Table(DataText.Summary(stats)), ChartRenderer.Html(lengths, context)),
            Row(HtmlCard.Table(DataText.Sources(stats)), stats.Scripts.Count > 1 ? ChartRenderer.Html(scripts, context) : ""),
            HtmlCard.Table(DataText.Ngrams(stats)));
    }

    /// <summary>A cleaning report: per-step removals as a table and a chart, with before/after examples.</summary>
    public static string Cleaning(CleaningReport report, RenderContext context)
    {
        var removed = Bar("Documents removed per step", [.. report.Steps.Select(s => s.Name)], [.. report.Steps.Select(s => (double)s.Removed)], "documents");
        var html = new StringBuilder(Row(HtmlCard.Table(DataText.Steps(report)), ChartRenderer.Html(removed, context)));
        html.Append("<p>Every removed document is in <code>").Append(Escape(report.RejectsPath)).Append("</code> with its step and reason.</p>");
        foreach (var step in report.Steps.Where(s => s.Examples.Count > 0))
        {
            html.Append("<details><summary>").Append(Escape(step.Name)).Append(": examples</summary>");
            foreach (var example in step.Examples)
            {
                html.Append("<div class=\"llmops-example\"><b>").Append(Escape(example.Rule)).Append("</b> · ").Append(Escape(example.Id));
                if (example.Detail.Length > 0)
                    html.Append(" · ").Append(Escape(example.Detail));
                html.Append("<div style=\"display:flex;gap:1em\">")
                    .Append(Pre(example.Before, example.After is null ? "removed" : "before"));
                if (example.After is not null)
                    html.Append(Pre(example.After, "after"));
                html.Append("</div></div>");
            }
            html.Append("</details>");
        }
        return HtmlCard.Card(html.ToString());
    }

    static JsonObject Bar(string title, string[] labels, double[] values, string axis) => new()
    {
        ["data"] = new JsonArray(new JsonObject
        {
            ["type"] = "bar",
            ["x"] = new JsonArray([.. labels.Select(l => (JsonNode)JsonValue.Create(l))]),
            ["y"] = new JsonArray([.. values.Select(v => (JsonNode)JsonValue.Create(v))]),
            ["name"] = axis,
        }),
        ["layout"] = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = title },
            ["width"] = 520,
            ["height"] = 320,
            ["margin"] = new JsonObject { ["t"] = 40, ["b"] = 80, ["l"] = 60, ["r"] = 10 },
            ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = axis } },
        },
    };

    static string Pre(string text, string label) => string.Create(CultureInfo.InvariantCulture,
        $"<div style=\"flex:1;min-width:0\"><i>{label}</i><pre style=\"white-space:pre-wrap;max-height:16em;overflow:auto\">{Escape(text)}</pre></div>");

    static string Row(params string[] parts) =>
        "<div style=\"display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start\">" + string.Concat(parts.Select(p => $"<div>{p}</div>")) + "</div>";

    static string Escape(string text) => WebUtility.HtmlEncode(text);
}
