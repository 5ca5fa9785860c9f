using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Data.Analysis;

namespace LlmOps.Interactive.Formatting;

/// <summary>
/// Microsoft.Data.Analysis DataFrames as a paged HTML table: the first page is real table rows (readable with
/// scripts off, in GitHub previews and in the HTML report); the rest travel as JSON that a few lines of script page
/// through. Large frames embed at most <see cref="MaxEmbeddedRows"/> rows and say so.
/// </summary>
static class DataFrameRenderer
{
    public const int PageSize = 20;
    public const int MaxEmbeddedRows = 10_000;
    const int TextRows = 10;

    public static string Html(DataFrame frame, RenderContext context)
    {
        string id = context.NextId("frame");
        long rows = frame.Rows.Count;
        int embedded = (int)Math.Min(rows, MaxEmbeddedRows);
        var html = new StringBuilder($"<div id=\"{id}\" class=\"llmops-frame\"><table><thead><tr><th></th>");
        foreach (var column in frame.Columns)
            html.Append(CultureInfo.InvariantCulture, $"<th title=\"{Escape(column.DataType.Name)}\">{Escape(column.Name)}<br/><small>{Escape(column.DataType.Name)}</small></th>");
        html.Append("</tr></thead><tbody>");
        for (int r = 0; r < Math.Min(PageSize, embedded); r++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><th>{r}</th>");
            foreach (var column in frame.Columns)
                html.Append("<td>").Append(Escape(Cell(column[r]))).Append("</td>");
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"llmops-pager\">{rows:N0} rows × {frame.Columns.Count} columns");
        if (rows > MaxEmbeddedRows)
            html.Append(CultureInfo.InvariantCulture, $" (the first {MaxEmbeddedRows:N0} can be paged here)");
        html.Append("</div>");
        if (embedded > PageSize)
        {
            var data = new List<string[]>(embedded);
            for (int r = 0; r < embedded; r++)
                data.Add([.. frame.Columns.Select(c => Cell(c[r]))]);
            html.Append(CultureInfo.InvariantCulture, $$"""
                <script type="text/javascript">(function () {
                  var root = document.getElementById('{{id}}'), rows = {{Json.ForScript(data)}}, size = {{PageSize}}, page = 0;
                  var body = root.querySelector('tbody'), pager = root.querySelector('.llmops-pager'), total = {{rows}};
                  var label = document.createElement('span'), prev = document.createElement('button'), next = document.createElement('button');
                  prev.textContent = '‹ previous'; next.textContent = 'next ›';
                  function show() {
                    body.innerHTML = '';
                    for (var r = page * size; r < Math.min(rows.length, (page + 1) * size); r++) {
                      var tr = document.createElement('tr'), th = document.createElement('th'); th.textContent = r; tr.appendChild(th);
                      rows[r].forEach(function (v) { var td = document.createElement('td'); td.textContent = v; tr.appendChild(td); });
                      body.appendChild(tr);
                    }
                    label.textContent = ' rows ' + (page * size) + '–' + (Math.min(rows.length, (page + 1) * size) - 1) + ' of ' + total + ' ';
                    prev.disabled = page === 0; next.disabled = (page + 1) * size >= rows.length;
                  }
                  prev.onclick = function () { page--; show(); }; next.onclick = function () { page++; show(); };
                  pager.appendChild(prev); pager.appendChild(label); pager.appendChild(next); show();
                })();</script>
                """);
        }
        return html.Append("</div>").ToString();
    }

    public static string Text(DataFrame frame)
    {
        var columns = frame.Columns.ToList();
        int shown = (int)Math.Min(frame.Rows.Count, TextRows);
        var cells = columns.Select(c => new[] { c.Name }.Concat(Enumerable.Range(0, shown).Select(r => Cell(c[r]))).ToArray()).ToList();
        var widths = cells.Select(c => Math.Min(24, c.Max(v => v.Length))).ToList();
        var text = new StringBuilder();
        for (int line = 0; line <= shown; line++)
        {
            text.Append(string.Join("  ", cells.Select((c, i) => Fit(c[line], widths[i])))).Append('\n');
            if (line == 0)
                text.Append(string.Join("  ", widths.Select(w => new string('-', w)))).Append('\n');
        }
        if (frame.Rows.Count > shown)
            text.Append("...\n");
        return text.Append(CultureInfo.InvariantCulture, $"({frame.Rows.Count} rows x {columns.Count} columns)").ToString();
    }

    static string Fit(string value, int width) => value.Length > width ? value[..(width - 1)] + "…" : value.PadRight(width);

    static string Cell(object? value) => value switch
    {
        null => "",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    static string Escape(string text) => WebUtility.HtmlEncode(text);
}
