using System.Globalization;
using System.Text;
using LlmOps.Core.Display;
using LlmOps.Core.Evaluation;
using LlmOps.Interactive.Charts;
using LlmOps.Interactive.Formatting;

namespace LlmOps.Interactive.Stages.Evaluation;

/// <summary>A leaderboard as HTML: the board as a table that sorts by any column on a click (numbers by value, the
/// raw value kept in <c>data-sort</c>), a grouped bar chart of the 0-1 scores per model, then the comparison and
/// rating tables.</summary>
static class LeaderboardHtml
{
    // Inline so the table sorts in a saved notebook or report too; numbers compare by data-sort, text by locale.
    const string SortScript = "(function(th){var t=th.closest('table'),b=t.tBodies[0],i=th.cellIndex,d=th.dataset.dir==='desc'?'asc':'desc';"
        + "th.dataset.dir=d;var rows=Array.from(b.rows);rows.sort(function(x,y){var p=x.cells[i].dataset.sort,q=y.cells[i].dataset.sort,"
        + "m=parseFloat(p),n=parseFloat(q),c=(isNaN(m)||isNaN(n))?String(p).localeCompare(String(q)):m-n;return d==='asc'?c:-c;});"
        + "rows.forEach(function(r){b.appendChild(r);});})(this)";

    public static string Render(Leaderboard board, RenderContext context)
    {
        var text = EvalText.Board(board);
        var html = new StringBuilder("<table class=\"llmops-card\"><caption style=\"text-align:left;font-weight:bold\">")
            .Append(ChartRenderer.Escape(text.Title)).Append(" (click a column to sort)</caption><thead><tr>");
        foreach (string name in text.Header)
            html.Append("<th style=\"text-align:left;cursor:pointer\" onclick=\"").Append(SortScript).Append("\">").Append(ChartRenderer.Escape(name)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        for (int r = 0; r < board.Rows.Count; r++)
        {
            var row = board.Rows[r];
            string?[] raw = [row.Model, Raw(row.Parameters), Raw(row.TokensPerSecond), .. board.Columns.Select(c => row.Values.TryGetValue(c, out double v) ? Raw(v) : null), Raw(row.Average)];
            string[] shown = text.Rows[r];
            html.Append("<tr>");
            for (int i = 0; i < shown.Length; i++)
                html.Append("<td style=\"text-align:left\" data-sort=\"").Append(ChartRenderer.Escape((i < raw.Length ? raw[i] : shown[i]) ?? "")).Append("\">").Append(ChartRenderer.Escape(shown[i])).Append("</td>");
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
        var unitColumns = board.Columns.Where(c => board.Rows.Any(r => r.Values.ContainsKey(c)) && IsUnit(c)).ToList();
        string chart = unitColumns.Count == 0 ? "" : ChartRenderer.Html(Chart(board, unitColumns), context);
        return HtmlCard.Card([html.ToString(), chart, .. EvalText.Leaderboard(board).Skip(1).Select(HtmlCard.Table)]);
    }

    /// <summary>One bar series per model over the task/metric columns scored 0-1, grouped side by side.</summary>
    static System.Text.Json.Nodes.JsonObject Chart(Leaderboard board, IReadOnlyList<string> columns)
    {
        var figure = PlotlyChart.Combine([.. board.Rows.Select(r => PlotlyChart.Bar(columns, columns.Select(c => r.Values.GetValueOrDefault(c, double.NaN)), r.Model))])
            .WithTitle("Scores by task").WithAxisTitles("task/metric", "score").WithSize(720, 400).ToFigure();
        figure["layout"]!["barmode"] = "group";
        return figure;
    }

    static bool IsUnit(string column) => column[(column.LastIndexOf('/') + 1)..] is var metric
        && !EvalMetrics.LowerIsBetter(metric) && metric != EvalMetrics.Name(EvalMetric.Bleu);

    static string? Raw(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);

    static string? Raw(long? value) => value?.ToString(CultureInfo.InvariantCulture);
}
