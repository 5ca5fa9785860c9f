using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LlmOps.Core.Training;
using LlmOps.Interactive.Formatting;
using Microsoft.Data.Analysis;
using Plotly.NET;
using Chart = Plotly.NET.CSharp.Chart;

namespace LlmOps.Interactive.Tests.Formatting;

public class MimeRendererTests
{
    static GenericChart Line(string name) => Chart.Line<int, int, string>(x: [1, 2, 3], y: [3, 1, 2], Name: name);

    static string Html(object value, RenderContext context) => MimeRenderer.Render(value, context).Single(b => b.Key == "text/html").Value;

    [Fact]
    public void Plotly_js_is_embedded_once_per_document_and_never_fetched()
    {
        var document = new RenderContext();
        string first = Html(Line("a"), document);
        string second = Html(Line("b"), document);
        string otherDocument = Html(Line("c"), new RenderContext());

        Assert.Contains(PlotlyJs.Script, first, StringComparison.Ordinal);
        Assert.DoesNotContain(PlotlyJs.Script, second, StringComparison.Ordinal);
        Assert.Contains(PlotlyJs.Script, otherDocument, StringComparison.Ordinal);
        Assert.Equal("2.28.0", PlotlyJs.Version);
        foreach (string html in new[] { first, second })
            Assert.DoesNotMatch(new Regex("<script[^>]+src=", RegexOptions.IgnoreCase), html);
        Assert.Contains("Plotly.newPlot('llmops-plot-2'", second, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chart_has_a_text_fallback_that_describes_it()
    {
        var bundle = MimeRenderer.Render(Plotly.NET.CSharp.Chart.Combine([Line("train"), Line("validation")]), new RenderContext());
        Assert.Equal("text/plain", bundle[0].Key);
        Assert.Equal("Plotly chart: untitled (2 traces: scatter, scatter); series: train, validation", bundle[0].Value);
    }

    [Fact]
    public void Script_embedded_data_cannot_close_the_script_element()
    {
        string html = Html(Line("</script><b>x</b>"), new RenderContext());
        Assert.DoesNotContain("</script><b>", html, StringComparison.Ordinal);
        Assert.Contains("\\u003C/script\\u003E", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dataframe_shows_its_first_page_as_rows_and_carries_the_rest_for_paging()
    {
        var frame = new DataFrame(
            new Int32DataFrameColumn("id", Enumerable.Range(0, 100)),
            new StringDataFrameColumn("text", Enumerable.Range(0, 100).Select(i => $"doc <{i}>")));
        var bundle = MimeRenderer.Render(frame, new RenderContext());
        string html = bundle.Single(b => b.Key == "text/html").Value;

        var tbody = Regex.Match(html, "<tbody>(.*?)</tbody>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Equal(DataFrameRenderer.PageSize, Regex.Count(tbody, "<tr>"));
        Assert.Contains("doc &lt;19&gt;", tbody, StringComparison.Ordinal);
        Assert.DoesNotContain("doc &lt;20&gt;", tbody, StringComparison.Ordinal);
        var rows = JsonNode.Parse(Regex.Match(html, @"rows = (\[\[.*?\]\]), size").Groups[1].Value)!.AsArray();
        Assert.Equal(100, rows.Count);
        Assert.Equal("doc <99>", rows[99]![1]!.GetValue<string>());
        Assert.Contains("100 rows × 2 columns", html, StringComparison.Ordinal);
        Assert.EndsWith("(100 rows x 2 columns)", bundle[0].Value, StringComparison.Ordinal);
        Assert.StartsWith("id", bundle[0].Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(42, "42")]
    [InlineData(2.5, "2.5")]
    [InlineData("plain <text>", "plain <text>")]
    [InlineData(null, "null")]
    public void Plain_values_are_text_only(object? value, string text)
    {
        var bundle = MimeRenderer.Render(value, new RenderContext());
        Assert.Equal(text, Assert.Single(bundle).Value);
    }

    [Fact]
    public void Result_records_render_as_html_with_a_text_fallback()
    {
        var bundle = MimeRenderer.Render(new SmokeTrainingProgress(5, 10, 0.25, 1.5), new RenderContext());
        Assert.Equal(new[] { "text/plain", "text/html" }, bundle.Select(b => b.Key));
        Assert.Contains("step 5/10", bundle[0].Value, StringComparison.Ordinal);
        Assert.Contains("<progress max=\"10\" value=\"5\"", bundle[1].Value, StringComparison.Ordinal);
    }

    [Fact]
    public void The_kernel_formatters_produce_our_html_through_the_kernels_formatter_registry()
    {
        var context = new RenderContext();
        LlmOps.Interactive.Kernel.KernelFormatters.Register(context);

        string html = Microsoft.DotNet.Interactive.Formatting.Formatter.ToDisplayString(Line("k"), "text/html");
        string text = Microsoft.DotNet.Interactive.Formatting.Formatter.ToDisplayString(new SmokeTrainingProgress(1, 2, 0.5, 0.1), "text/plain");

        Assert.Contains("Plotly.newPlot('llmops-plot-1'", html, StringComparison.Ordinal);
        Assert.True(context.PlotlyJsEmitted);
        Assert.Contains("step 1/2", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sequence_shows_its_items_not_its_type_name_and_a_long_one_says_how_many_more()
    {
        var bundle = MimeRenderer.Render(new[] { 1, 2, 3 }.Select(i => $"item <{i}>"), new RenderContext());
        Assert.Equal("item <1>\nitem <2>\nitem <3>", bundle[0].Value);
        Assert.Contains("<li><code>item &lt;2&gt;</code></li>", bundle.Single(b => b.Key == "text/html").Value, StringComparison.Ordinal);

        string many = MimeRenderer.Render(Enumerable.Range(0, 250), new RenderContext())[0].Value;
        Assert.EndsWith("… 150 more (250 items)", many, StringComparison.Ordinal);
        Assert.StartsWith("0\n1\n", many, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sequence_of_self_numbered_items_shows_each_number_once()
    {
        string html = MimeRenderer.Render(new[] { "1. 'a' + 'b'", "2. 'c' + 'd'" }, new RenderContext()).Single(b => b.Key == "text/html").Value;
        Assert.DoesNotContain("<ol", html, StringComparison.Ordinal);          // an <ol> would print "0. 1. 'a' + 'b'"
        Assert.Contains("list-style:none", html, StringComparison.Ordinal);
        Assert.Contains("<li><code>1. &#39;a&#39; + &#39;b&#39;</code></li>", html, StringComparison.Ordinal);
    }
}
