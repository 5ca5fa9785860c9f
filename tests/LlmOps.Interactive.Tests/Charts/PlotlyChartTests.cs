using System.Text.Json.Nodes;
using LlmOps.Interactive.Charts;
using LlmOps.Interactive.Documents;
using LlmOps.Interactive.Formatting;

namespace LlmOps.Interactive.Tests.Charts;

public class PlotlyChartTests
{
    [Fact]
    public void Combined_lines_are_plotly_figure_json_with_the_first_charts_layout()
    {
        var chart = PlotlyChart.Combine(
                PlotlyChart.Line([0, 1, 2], [0, 1, 4], name: "square"),
                PlotlyChart.Scatter([0, 1, 2], [0, 1, 8], name: "cube"))
            .WithTitle("powers").WithAxisTitles(x: "n", y: "value").WithSize(600, 300);

        var figure = chart.ToFigure();
        var data = figure["data"]!.AsArray();
        Assert.Equal(["lines", "markers"], data.Select(t => t!["mode"]!.GetValue<string>()));
        Assert.Equal(["square", "cube"], data.Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal([0.0, 1, 8], data[1]!["y"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal("powers", figure["layout"]!["title"]!["text"]!.GetValue<string>());
        Assert.Equal("n", figure["layout"]!["xaxis"]!["title"]!["text"]!.GetValue<string>());
        Assert.Equal(600, figure["layout"]!["width"]!.GetValue<int>());
        Assert.Equal("Plotly chart: powers (2 traces: scatter, scatter); series: square, cube", chart.ToString());
    }

    [Fact]
    public void With_methods_return_new_charts_and_leave_the_original_as_it_was()
    {
        var plain = PlotlyChart.Bar(["a", "b"], [1, 2]);
        var titled = plain.WithTitle("t");

        Assert.Null(plain.ToFigure()["layout"]!["title"]);
        Assert.NotNull(titled.ToFigure()["layout"]!["title"]);
        plain.ToFigure()["data"]!.AsArray().Clear(); // a copy: the chart is unchanged
        Assert.Single(plain.ToFigure()["data"]!.AsArray());
    }

    [Fact]
    public void A_heatmap_holds_the_matrix_row_by_row_with_row_zero_on_top_and_refuses_repeated_labels()
    {
        var chart = PlotlyChart.Heatmap([[1, 0], [0.25, 0.75]], columns: ["k0", "k1"], rows: ["q0", "q1"], name: "weights").WithTitle("attention");

        var trace = chart.ToFigure()["data"]![0]!;
        Assert.Equal("heatmap", trace["type"]!.GetValue<string>());
        Assert.Equal("[[1,0],[0.25,0.75]]", trace["z"]!.ToJsonString());
        Assert.Equal("[\"k0\",\"k1\"]", trace["x"]!.ToJsonString());
        Assert.Equal("[\"q0\",\"q1\"]", trace["y"]!.ToJsonString());
        Assert.Equal("reversed", chart.ToFigure()["layout"]!["yaxis"]!["autorange"]!.GetValue<string>());
        Assert.Equal("Plotly chart: attention (1 trace: heatmap); series: weights", chart.ToString());
        Assert.Equal("[\"0\",\"1\",\"2\"]", PlotlyChart.Heatmap([[1, 2, 3]]).ToFigure()["data"]![0]!["x"]!.ToJsonString());

        Assert.Contains("row 0 has 2 values but row 1 has 1", Assert.Throws<ArgumentException>(() => PlotlyChart.Heatmap([[1, 2], [3]])).Message, StringComparison.Ordinal);
        Assert.Contains("'the'", Assert.Throws<ArgumentException>(() => PlotlyChart.Heatmap([[1, 2]], columns: ["the", "the"])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => PlotlyChart.Heatmap([[1, 2]], rows: ["a", "b"]));
    }

    [Fact]
    public void Missing_values_become_gaps_and_mismatched_lengths_are_refused()
    {
        var figure = PlotlyChart.Line([0, 1, 2], [1, double.NaN, double.PositiveInfinity]).ToFigure();
        Assert.Equal("[1,null,null]", figure["data"]![0]!["y"]!.ToJsonString());

        var error = Assert.Throws<ArgumentException>(() => PlotlyChart.Line([0, 1, 2], [1, 2]));
        Assert.Contains("x has 3 values but y has 2", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => PlotlyChart.FromFigureJson("{\"layout\": {}}"));
        Assert.Throws<ArgumentException>(() => PlotlyChart.FromFigureJson("not json"));
    }

    [Fact]
    public void A_chart_renders_as_offline_html_and_as_plotly_figure_json_stored_as_json()
    {
        var chart = PlotlyChart.FromFigureJson("""{"data": [{"type": "bar", "x": ["a"], "y": [3]}]}""").WithTitle("from json");

        var bundle = MimeRenderer.Render(chart, new RenderContext());

        Assert.Equal(["text/plain", "text/html", MimeRenderer.PlotlyMimeType], bundle.Select(b => b.Key));
        Assert.True(PlotlyJs.IsEmbeddedIn(bundle[1].Value));
        Assert.Contains("\"text\":\"from json\"", bundle[1].Value, StringComparison.Ordinal);
        // nbformat keeps JSON MIME types as JSON: the saved notebook holds an object a Plotly-aware viewer can draw.
        var output = CellOutput.Display(bundle);
        Assert.IsType<JsonObject>(output.Data[MimeRenderer.PlotlyMimeType]);
        Assert.Equal("bar", output.Data[MimeRenderer.PlotlyMimeType]!["data"]![0]!["type"]!.GetValue<string>());
    }
}
