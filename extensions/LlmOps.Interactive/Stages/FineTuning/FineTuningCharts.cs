using System.Globalization;
using System.Text.Json.Nodes;
using LlmOps.Core.FineTuning;
using LlmOps.Interactive.Charts;

namespace LlmOps.Interactive.Stages.FineTuning;

/// <summary>Fine-tuning's charts, for notebooks and the stage's HTML cards.</summary>
public static class FineTuningCharts
{
    /// <summary>Held-out exact match against trained parameters (log axis), one labelled marker per method, its area
    /// proportional to the run's time, so cost, size and quality read off one picture.</summary>
    public static PlotlyChart Comparison(PeftComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        double longest = comparison.Rows.Select(r => r.Seconds).DefaultIfEmpty(1).Max();
        var traces = comparison.Rows.Select(r => (JsonNode)new JsonObject
        {
            ["type"] = "scatter",
            ["mode"] = "markers+text",
            ["name"] = r.Method,
            ["x"] = new JsonArray(JsonValue.Create(r.TrainableParameters)),
            ["y"] = new JsonArray(JsonValue.Create(r.ExactMatch * 100)),
            ["text"] = new JsonArray(JsonValue.Create(string.Create(CultureInfo.InvariantCulture, $"{r.Method} ({r.Seconds:F0} s)"))),
            ["textposition"] = "top center",
            // Area, not diameter, proportional to time: 10 px for an instant run, 40 px for the longest.
            ["marker"] = new JsonObject { ["size"] = 10 + (30 * Math.Sqrt(longest > 0 ? r.Seconds / longest : 0)) },
        });
        var figure = new JsonObject
        {
            ["data"] = new JsonArray([.. traces]),
            ["layout"] = new JsonObject
            {
                ["title"] = new JsonObject { ["text"] = "Held-out exact match vs trained parameters (marker area: time)" },
                ["width"] = 640,
                ["height"] = 400,
                ["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "trained parameters" }, ["type"] = "log" },
                ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "held-out exact match (%)" }, ["range"] = new JsonArray(0, 105) },
            },
        };
        return PlotlyChart.FromFigureJson(figure.ToJsonString());
    }
}
