using System.Net;
using System.Text.Json.Nodes;
using Plotly.NET;

namespace LlmOps.Interactive.Formatting;

/// <summary>
/// Plotly.NET charts as HTML that draws offline: a div and a call to <c>Plotly.newPlot</c> with the figure's JSON,
/// preceded by the whole plotly.js the first time a document shows a chart. (Plotly.NET's own HTML loads plotly.js
/// from a CDN through require.js, which is blank offline and on GitHub.)
/// </summary>
static class ChartRenderer
{
    /// <summary>The chart's figure (data + layout). Plotly.NET's serialisation is slow (tens of ms), so render once
    /// and pass the figure to both <see cref="Html"/> and <see cref="Text"/>.</summary>
    public static JsonObject Figure(GenericChart chart) => JsonNode.Parse(GenericChart.toFigureJson(chart))!.AsObject();

    public static string Html(JsonObject figure, RenderContext context)
    {
        string id = context.NextId("plot");
        string data = Json.ForScript(figure["data"]);
        string layout = Json.ForScript(figure["layout"]);
        string library = "";
        if (!context.PlotlyJsEmitted)
        {
            context.PlotlyJsEmitted = true;
            library = $"<script type=\"text/javascript\">{PlotlyJs.Marker}\n{PlotlyJs.Script}\n</script>\n";
        }
        // Size the container as the figure asks (Plotly.NET sets a default size), so nothing is clipped.
        string width = figure["layout"]?["width"] is JsonValue w ? $"{w.ToJsonString()}px" : "100%";
        string height = figure["layout"]?["height"] is JsonValue h ? $"{h.ToJsonString()}px" : "450px";
        return library +
            $"<div id=\"{id}\" class=\"llmops-plot\" style=\"width:{width};max-width:100%;height:{height}\"></div>\n" +
            $"<script type=\"text/javascript\">(function () {{ var draw = function () {{ Plotly.newPlot('{id}', {data}, {layout}, {{\"responsive\": true, \"displaylogo\": false}}); }};\n" +
            $" if (window.Plotly) {{ draw(); }} else {{ document.getElementById('{id}').innerText = 'This chart needs plotly.js, which the first chart of this document carries. Run that cell too.'; }} }})();</script>";
    }

    public static string Text(JsonObject figure)
    {
        var traces = figure["data"] as JsonArray ?? [];
        string title = figure["layout"]?["title"]?["text"]?.GetValue<string>() ?? "untitled";
        var kinds = traces.Select(t => t?["type"]?.GetValue<string>() ?? "scatter");
        var names = traces.Select(t => t?["name"]?.GetValue<string>()).OfType<string>().ToList();
        return $"Plotly chart: {title} ({traces.Count} trace{(traces.Count == 1 ? "" : "s")}: {string.Join(", ", kinds)})"
            + (names.Count > 0 ? $"; series: {string.Join(", ", names)}" : "");
    }

    public static string Escape(string text) => WebUtility.HtmlEncode(text);
}
