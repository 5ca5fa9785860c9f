using LlmOps.Core.IO;
using System.Globalization;
using System.Net;
using System.Text;
using LlmOps.Interactive.Documents;
using Markdig;

namespace LlmOps.Interactive.Formatting;

/// <summary>
/// A standalone HTML page for an executed notebook: a summary (cells run, failures, seconds), then every cell in
/// order with its source, timing and outputs. It needs nothing from the network: styles are inline, and charts draw
/// with the plotly.js that the notebook's first chart output already carries (the report adds no second copy).
/// </summary>
public static class HtmlReport
{
    static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().DisableHtml().Build(); // raw HTML such as <title> could swallow the page

    /// <summary>The page for <paramref name="executed"/>.</summary>
    public static string Render(NotebookDocument executed, string title)
    {
        ArgumentNullException.ThrowIfNull(executed);
        var code = executed.Cells.Where(c => c.IsCode).ToList();
        int failed = code.Count(c => Status(c) is "error" or "timedout" or "cancelled");
        int skipped = code.Count(c => Status(c) == "skipped");
        double seconds = code.Sum(c => c.Metadata["llmops"]?["duration_s"]?.GetValue<double>() ?? 0);

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>")
            .Append("<title>").Append(Escape(title)).Append("</title><style>").Append(Style).Append("</style></head><body><main>\n");
        html.Append("<header><h1 class=\"report-title\">").Append(Escape(title)).Append("</h1><p class=\"summary\">")
            .Append(CultureInfo.InvariantCulture, $"{code.Count - skipped} of {code.Count} code cells run, ")
            .Append(failed == 0 ? "<span class=\"ok\">no failures</span>" : $"<span class=\"bad\">{failed} failed</span>")
            .Append(skipped == 0 ? "" : $", {skipped} skipped")
            .Append(CultureInfo.InvariantCulture, $", {seconds:F1} s</p></header>\n");

        foreach (var cell in executed.Cells)
        {
            if (!cell.IsCode)
            {
                html.Append("<section class=\"cell markdown\">").Append(Markdig.Markdown.ToHtml(cell.Source, Markdown)).Append("</section>\n");
                continue;
            }
            string status = Status(cell) ?? "not run";
            html.Append(CultureInfo.InvariantCulture, $"<section class=\"cell code {Escape(status)}\"><div class=\"meta\">[{cell.ExecutionCount?.ToString(CultureInfo.InvariantCulture) ?? " "}] {Escape(status)}");
            if (cell.Metadata["llmops"]?["duration_s"]?.GetValue<double>() is { } duration)
                html.Append(CultureInfo.InvariantCulture, $" · {duration:F2} s");
            html.Append("</div><pre class=\"source\"><code>").Append(Escape(cell.Source)).Append("</code></pre>\n");
            foreach (var output in cell.Outputs)
                html.Append("<div class=\"output\">").Append(RenderOutput(output)).Append("</div>\n");
            html.Append("</section>\n");
        }
        return html.Append("</main></body></html>\n").ToString();
    }

    /// <summary>Writes the page to <paramref name="path"/> through a temporary file and a rename.</summary>
    public static async Task WriteAsync(NotebookDocument executed, string title, string path, CancellationToken cancellationToken = default)
    {
        await AtomicFile.WriteAllTextAsync(path, Render(executed, title), cancellationToken).ConfigureAwait(false);
    }

    static string RenderOutput(CellOutput output) => output.OutputType switch
    {
        "stream" => $"<pre class=\"stream {Escape(output.Name ?? "stdout")}\">{Escape(output.Text ?? "")}</pre>",
        "error" => $"<div class=\"error\"><strong>{Escape(output.EName ?? "Error")}</strong>: {Escape(output.EValue ?? "")}" +
                   $"<pre>{Escape(string.Join("\n", output.Traceback))}</pre></div>",
        _ when output.GetText("text/html") is { } trusted => trusted, // produced by the notebook's own code
        _ when output.GetText("image/png") is { } png => $"<img alt=\"output\" src=\"data:image/png;base64,{png.Trim()}\"/>",
        _ when output.GetText("image/svg+xml") is { } svg => svg,
        _ => $"<pre>{Escape(output.GetText("text/plain") ?? "")}</pre>",
    };

    static string? Status(NotebookCell cell) => cell.Metadata["llmops"]?["status"]?.GetValue<string>();

    static string Escape(string text) => WebUtility.HtmlEncode(text);

    const string Style = """
        body{margin:0;background:#f6f7f9;color:#1d2330;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
        main{max-width:1100px;margin:0 auto;padding:24px}
        header{border-bottom:1px solid #d8dce3;margin-bottom:16px}
        .summary .ok{color:#1a7f37}.summary .bad{color:#c62828;font-weight:600}
        .cell{background:#fff;border:1px solid #e1e4ea;border-radius:6px;margin:12px 0;padding:10px 14px}
        .cell.markdown{background:transparent;border:none;padding:0 2px}
        .cell.error,.cell.timedout{border-left:4px solid #c62828}.cell.skipped{opacity:.55}
        .meta{color:#6b7385;font-size:12px;margin-bottom:4px}
        pre{margin:6px 0;white-space:pre-wrap;word-break:break-word;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
        pre.source{background:#f3f5f8;border-radius:4px;padding:8px}
        pre.stderr{color:#9a3412}
        .output{overflow-x:auto;margin-top:6px}
        .error{background:#fdecea;border:1px solid #f5c2c0;border-radius:4px;padding:8px;color:#7f1d1d}
        table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #e1e4ea;padding:3px 8px;text-align:left;vertical-align:top}
        thead th{background:#f3f5f8}caption{font-weight:600;text-align:left;padding:4px 0}
        """;
}
