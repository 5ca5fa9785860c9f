using System.Text.RegularExpressions;
using LlmOps.Interactive.Documents;
using LlmOps.Interactive.Formatting;
using LlmOps.Tests;
using Chart = Plotly.NET.CSharp.Chart;

namespace LlmOps.Interactive.Tests.Formatting;

public class HtmlReportTests
{
    static NotebookDocument Executed(RenderContext context, bool chartInLaterCell = true)
    {
        var document = NotebookDocument.CreateCSharp();
        document.Cells.Add(NotebookCell.Markdown("# Report <title>\n\n| a | b |\n|---|---|\n| 1 | 2 |"));
        var first = NotebookCell.Code("Console.WriteLine(\"<hello>\");");
        first.Outputs.Add(CellOutput.Stream("stdout", "<hello>\n"));
        first.Metadata["llmops"] = new System.Text.Json.Nodes.JsonObject { ["status"] = "ok", ["duration_s"] = 0.5 };
        document.Cells.Add(first);
        var chart = NotebookCell.Code("chart");
        chart.Metadata["llmops"] = new System.Text.Json.Nodes.JsonObject { ["status"] = "ok", ["duration_s"] = 1.0 };
        chart.Outputs.Add(CellOutput.Display(MimeRenderer.Render(Chart.Line<int, int, string>(x: [1, 2, 3, 4], y: [1, 4, 2, 3], Name: "loss"), context)));
        var failing = NotebookCell.Code("throw new Exception(\"boom\");");
        failing.Outputs.Add(CellOutput.Error("Exception", "cell line 1: boom", ["System.Exception: boom", "   at cell-3:line 1"]));
        failing.Metadata["llmops"] = new System.Text.Json.Nodes.JsonObject { ["status"] = "error", ["duration_s"] = 0.1 };
        document.Cells.Add(chartInLaterCell ? chart : failing);
        document.Cells.Add(chartInLaterCell ? failing : chart);
        return document;
    }

    [Fact]
    public void The_report_summarises_and_escapes_and_needs_nothing_from_the_network()
    {
        string html = HtmlReport.Render(Executed(new RenderContext()), "run <1>");

        Assert.Contains("<h1 class=\"report-title\">run &lt;1&gt;</h1>", html, StringComparison.Ordinal);
        Assert.Contains("3 of 3 code cells run, <span class=\"bad\">1 failed</span>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;hello&gt;", html, StringComparison.Ordinal);
        Assert.Contains("<table>", html, StringComparison.Ordinal); // markdown pipe table
        Assert.Contains("cell line 1: boom", html, StringComparison.Ordinal);
        // plotly.js's own source mentions URLs in strings; everything else must load nothing
        Assert.DoesNotMatch(new Regex("(src|href)=\"(https?:)?//", RegexOptions.IgnoreCase), html.Replace(PlotlyJs.Script, "", StringComparison.Ordinal));
        Assert.Contains("Report &lt;title&gt;", html, StringComparison.Ordinal); // raw HTML in markdown is shown, not obeyed
        Assert.Equal(1, Regex.Count(html, Regex.Escape(PlotlyJs.Script[..200])) + 0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_chart_is_drawn_in_a_real_browser_and_not_without_plotly_js(bool chartInLaterCell)
    {
        string folder = RepoPaths.NewTempFolder("llmops-report");
        string page = Path.Combine(folder, "report.html");
        await HtmlReport.WriteAsync(Executed(new RenderContext(), chartInLaterCell), "report", page);
        string stripped = Path.Combine(folder, "stripped.html");
        await File.WriteAllTextAsync(stripped, (await File.ReadAllTextAsync(page)).Replace(PlotlyJs.Script, "", StringComparison.Ordinal));

        Assert.Contains("class=\"main-svg\"", await Chromium.DumpDomAsync(page), StringComparison.Ordinal);
        await Chromium.ScreenshotAsync(page, Path.Combine(folder, "with.png"), 1200, 1800);
        await Chromium.ScreenshotAsync(stripped, Path.Combine(folder, "without.png"), 1200, 1800);
        int drawn = PngImage.Load(Path.Combine(folder, "with.png")).CountPixels(0x63, 0x6e, 0xfa, tolerance: 16);
        int blank = PngImage.Load(Path.Combine(folder, "without.png")).CountPixels(0x63, 0x6e, 0xfa, tolerance: 16);
        Assert.True(drawn > 200, $"only {drawn} pixels of the first trace's colour: the chart was not drawn");
        Assert.True(blank < 20, $"{blank} chart-coloured pixels without plotly.js: the control is not a control");
    }
}
