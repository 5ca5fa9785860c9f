using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using LlmOps.Core.Display;
using LlmOps.Core.Training;

using LlmOps.Interactive.Formatting;

namespace LlmOps.Interactive.Stages.Pretraining;

/// <summary>
/// Pretraining records as HTML: a live loss chart (train and validation loss against the step, the learning rate on a
/// second axis) under a one-line header with throughput, MFU and ETA. A run updates its display handle a few times a
/// second and each update replaces the whole output, so the chart redraws in place.
/// </summary>
static class TrainingHtml
{
    /// <summary>Points per train curve at most: long runs are thinned evenly (the last point always kept), so an update
    /// stays small enough to redraw several times a second.</summary>
    public const int MaxPoints = 2000;

    /// <summary>A finished run: its summary table and its curves.</summary>
    public static string Result(PretrainResult result, RenderContext context) => HtmlCard.Card(HtmlCard.Table(TrainingText.Summary(result)),
        ChartRenderer.Html(Curves($"{result.RunName}: {result.Status.ToString().ToLowerInvariant()}", result.Train, result.Validation), context));

    /// <summary>A run in progress: a bar with loss, speed and ETA over the live chart.</summary>
    public static string Live(PretrainProgress progress, RenderContext context)
    {
        string header = WebUtility.HtmlEncode(TrainingText.Line(progress)[(TrainingText.Line(progress).IndexOf(']', StringComparison.Ordinal) + 2)..]);
        string bar = string.Create(CultureInfo.InvariantCulture,
            $"<progress max=\"{progress.TotalSteps}\" value=\"{progress.Step}\" style=\"width:12em;vertical-align:middle\"></progress> ");
        return HtmlCard.Card($"<div class=\"llmops-progress\">{bar}<code>{header}</code></div>",
            ChartRenderer.Html(Curves(progress.RunName, progress.Train, progress.Validation), context));
    }

    /// <summary>The figure: train loss (line), validation loss (line with markers), learning rate (dotted, right axis).</summary>
    public static JsonObject Curves(string title, IReadOnlyList<TrainStep> train, IReadOnlyList<EvalPoint> validation)
    {
        var points = Thin(train);
        return new JsonObject
        {
            ["data"] = new JsonArray(
                Trace("train loss", "lines", points.Select(p => p.Step), points.Select(p => p.Loss), "y", null),
                Trace("val loss", "lines+markers", validation.Select(v => v.Step), validation.Select(v => v.Loss), "y", null),
                Trace("learning rate", "lines", points.Select(p => p.Step), points.Select(p => p.LearningRate), "y2", "dot")),
            ["layout"] = new JsonObject
            {
                ["title"] = new JsonObject { ["text"] = title },
                ["width"] = 720,
                ["height"] = 380,
                ["margin"] = new JsonObject { ["t"] = 40, ["b"] = 50, ["l"] = 60, ["r"] = 70 },
                ["legend"] = new JsonObject { ["orientation"] = "h", ["y"] = -0.2 },
                ["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "step" } },
                ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "loss" } },
                ["yaxis2"] = new JsonObject
                {
                    ["title"] = new JsonObject { ["text"] = "learning rate" },
                    ["overlaying"] = "y",
                    ["side"] = "right",
                    ["showgrid"] = false,
                    ["exponentformat"] = "e",
                },
            },
        };
    }

    static JsonObject Trace(string name, string mode, IEnumerable<int> x, IEnumerable<double> y, string axis, string? dash)
    {
        var trace = new JsonObject
        {
            ["type"] = "scatter",
            ["mode"] = mode,
            ["name"] = name,
            ["x"] = new JsonArray([.. x.Select(s => (JsonNode)JsonValue.Create(s))]),
            ["y"] = new JsonArray([.. y.Select(v => double.IsFinite(v) ? JsonValue.Create(v) : null)]),
            ["yaxis"] = axis,
        };
        if (dash is not null)
            trace["line"] = new JsonObject { ["dash"] = dash };
        return trace;
    }

    static List<TrainStep> Thin(IReadOnlyList<TrainStep> train)
    {
        if (train.Count <= MaxPoints)
            return [.. train];
        double stride = (double)train.Count / MaxPoints;
        var points = new List<TrainStep>(MaxPoints + 1);
        for (int i = 0; i < MaxPoints; i++)
            points.Add(train[(int)(i * stride)]);
        if (points[^1] != train[^1])
            points.Add(train[^1]);
        return points;
    }
}
