using System.Text.Json.Nodes;
using LlmOps.Interactive.Formatting;

namespace LlmOps.Interactive.Charts;

/// <summary>
/// A Plotly chart built as Plotly's own figure JSON (<c>{"data": [...], "layout": {...}}</c>), with no F# underneath.
/// Why it exists: Plotly.NET 6 needs FSharp.Core 10.1, and the .NET Interactive kernel has already loaded its own
/// FSharp.Core 10.0 before the first cell, so Plotly.NET's chart functions cannot run there (see environment.md). This
/// type works in every host, renders like any other chart (plotly.js embedded once per document, no CDN), and is small
/// on purpose: lines, markers, bars, heatmaps, titles and size. Anything else Plotly can draw can be written as figure
/// JSON and shown with <see cref="FromFigureJson"/>. Instances are immutable: each <c>With…</c> returns a new chart.
/// </summary>
public sealed class PlotlyChart
{
    readonly JsonObject figure;

    PlotlyChart(JsonObject figure) => this.figure = figure;

    /// <summary>A line through the points (<paramref name="x"/>[i], <paramref name="y"/>[i]).</summary>
    /// <param name="x">The x values.</param>
    /// <param name="y">The y values, as many as <paramref name="x"/>.</param>
    /// <param name="name">The series name shown in the legend; null for none.</param>
    public static PlotlyChart Line(IEnumerable<double> x, IEnumerable<double> y, string? name = null) => XY("lines", x, y, name);

    /// <summary>Points only, no line between them.</summary>
    /// <inheritdoc cref="Line" path="/param"/>
    public static PlotlyChart Scatter(IEnumerable<double> x, IEnumerable<double> y, string? name = null) => XY("markers", x, y, name);

    /// <summary>One bar per label.</summary>
    /// <param name="labels">The category of each bar.</param>
    /// <param name="values">The height of each bar, as many as <paramref name="labels"/>.</param>
    /// <param name="name">The series name shown in the legend; null for none.</param>
    public static PlotlyChart Bar(IEnumerable<string> labels, IEnumerable<double> values, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(values);
        var l = labels.ToList();
        var v = values.ToList();
        SameLength(l.Count, v.Count, "labels", "values");
        return Single(new JsonObject
        {
            ["type"] = "bar",
            ["x"] = new JsonArray([.. l.Select(s => (JsonNode?)s)]),
            ["y"] = Numbers(v),
        }, name);
    }

    /// <summary>A grid of coloured cells, one per value, drawn as a matrix is written: row 0 at the top (attention
    /// weights, a mask, a confusion matrix).</summary>
    /// <param name="z">The values, one inner list per row; every row as long as the first.</param>
    /// <param name="columns">A label per column (left to right); null numbers them.</param>
    /// <param name="rows">A label per row (top to bottom); null numbers them.</param>
    /// <param name="name">The trace's name; null for none.</param>
    /// <exception cref="ArgumentException">Rows of different lengths, label counts that do not match, or a repeated
    /// label (Plotly would draw two equal labels as one cell).</exception>
    public static PlotlyChart Heatmap(IEnumerable<IEnumerable<double>> z, IEnumerable<string>? columns = null, IEnumerable<string>? rows = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(z);
        var grid = z.Select(r => r.ToList()).ToList();
        if (grid.Count == 0 || grid[0].Count == 0)
            throw new ArgumentException("A heatmap needs at least one row with at least one value.", nameof(z));
        for (int r = 1; r < grid.Count; r++)
            SameLength(grid[0].Count, grid[r].Count, "row 0", $"row {r}");
        JsonArray Labels(IEnumerable<string>? labels, int count, string what)
        {
            var list = labels?.ToList() ?? [.. Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
            SameLength(count, list.Count, what == "column" ? "z's rows" : "z", $"{what} labels");
            if (list.Distinct(StringComparer.Ordinal).Count() != list.Count)
                throw new ArgumentException($"The {what} labels repeat ({string.Join(", ", list.GroupBy(l => l, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"'{g.Key}'"))}): Plotly would draw equal labels as one {what}; make them distinct, e.g. prefix the position.");
            return new JsonArray([.. list.Select(l => (JsonNode?)l)]);
        }
        var trace = new JsonObject
        {
            ["type"] = "heatmap",
            ["z"] = new JsonArray([.. grid.Select(r => (JsonNode?)Numbers(r))]),
            ["x"] = Labels(columns, grid[0].Count, "column"),
            ["y"] = Labels(rows, grid.Count, "row"),
            ["colorscale"] = "Blues",
        };
        var chart = Single(trace, name);
        return chart.WithLayout(layout => layout["yaxis"] = new JsonObject { ["autorange"] = "reversed" });
    }

    /// <summary>All series of <paramref name="charts"/> on one set of axes; the layout (title, axis titles, size) is the
    /// first chart's.</summary>
    public static PlotlyChart Combine(params PlotlyChart[] charts)
    {
        ArgumentNullException.ThrowIfNull(charts);
        if (charts.Length == 0)
            throw new ArgumentException("Combine needs at least one chart.", nameof(charts));
        var combined = (JsonObject)charts[0].figure.DeepClone();
        var data = (JsonArray)combined["data"]!;
        foreach (var chart in charts.Skip(1))
            foreach (var trace in (JsonArray)chart.figure["data"]!)
                data.Add(trace?.DeepClone());
        return new PlotlyChart(combined);
    }

    /// <summary>A chart from Plotly figure JSON (an object with <c>data</c> and optionally <c>layout</c>), e.g. from
    /// Plotly's documentation or from Plotly.NET's <c>GenericChart.toFigureJson</c> run outside the kernel.</summary>
    /// <exception cref="ArgumentException">The text is not a JSON object with a <c>data</c> array.</exception>
    public static PlotlyChart FromFigureJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new ArgumentException($"Not Plotly figure JSON: {e.Message}", nameof(json), e);
        }
        if (node is not JsonObject obj || obj["data"] is not JsonArray)
            throw new ArgumentException("Not Plotly figure JSON: expected an object with a \"data\" array (and optionally \"layout\").", nameof(json));
        obj["layout"] ??= new JsonObject();
        return new PlotlyChart(obj);
    }

    /// <summary>This chart with <paramref name="title"/> above it.</summary>
    public PlotlyChart WithTitle(string title) => WithLayout(layout => layout["title"] = new JsonObject { ["text"] = title });

    /// <summary>This chart with axis titles; a null title leaves that axis as it was.</summary>
    public PlotlyChart WithAxisTitles(string? x = null, string? y = null) => WithLayout(layout =>
    {
        if (x is not null)
            layout["xaxis"] = Merge(layout["xaxis"], "title", new JsonObject { ["text"] = x });
        if (y is not null)
            layout["yaxis"] = Merge(layout["yaxis"], "title", new JsonObject { ["text"] = y });
    });

    /// <summary>This chart drawn <paramref name="width"/> × <paramref name="height"/> pixels (default: the output's width × 450).</summary>
    public PlotlyChart WithSize(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        return WithLayout(layout =>
        {
            layout["width"] = width;
            layout["height"] = height;
        });
    }

    /// <summary>The figure as Plotly reads it: a copy, so changing it leaves the chart as it is.</summary>
    public JsonObject ToFigure() => (JsonObject)figure.DeepClone();

    /// <summary>The figure as JSON text (what the <c>application/vnd.plotly.v1+json</c> output carries).</summary>
    public string ToFigureJson() => figure.ToJsonString();

    /// <summary>One line naming the title and series, as a text-only frontend shows the chart.</summary>
    public override string ToString() => ChartRenderer.Text(figure);

    static PlotlyChart XY(string mode, IEnumerable<double> x, IEnumerable<double> y, string? name)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var xs = x.ToList();
        var ys = y.ToList();
        SameLength(xs.Count, ys.Count, "x", "y");
        return Single(new JsonObject { ["type"] = "scatter", ["mode"] = mode, ["x"] = Numbers(xs), ["y"] = Numbers(ys) }, name);
    }

    static PlotlyChart Single(JsonObject trace, string? name)
    {
        if (name is not null)
            trace["name"] = name;
        return new PlotlyChart(new JsonObject { ["data"] = new JsonArray(trace), ["layout"] = new JsonObject() });
    }

    // JSON has no NaN or infinity (System.Text.Json refuses to write them); Plotly draws null as a gap, which is what a
    // missing value should look like.
    static JsonArray Numbers(List<double> values) =>
        new([.. values.Select(v => double.IsFinite(v) ? (JsonNode?)JsonValue.Create(v) : null)]);

    static void SameLength(int a, int b, string nameA, string nameB)
    {
        if (a != b)
            throw new ArgumentException($"{nameA} has {a} values but {nameB} has {b}: a chart needs one {nameB} per {nameA}.");
    }

    static JsonObject Merge(JsonNode? existing, string key, JsonNode value)
    {
        var obj = existing is JsonObject o ? (JsonObject)o.DeepClone() : [];
        obj[key] = value;
        return obj;
    }

    PlotlyChart WithLayout(Action<JsonObject> change)
    {
        var copy = (JsonObject)figure.DeepClone();
        change((JsonObject)copy["layout"]!);
        return new PlotlyChart(copy);
    }
}
