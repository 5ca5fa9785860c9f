using System.Net;
using System.Text;
using LlmOps.Core.Display;

namespace LlmOps.Interactive.Formatting;

/// <summary>The HTML shapes every stage's renderers share: a card that groups a result's parts, and a text table.</summary>
public static class HtmlCard
{
    /// <summary>The parts inside one card.</summary>
    public static string Card(params string[] parts) => "<div class=\"llmops-data\">" + string.Concat(parts) + "</div>";

    /// <summary><paramref name="table"/> as an HTML table with its title as the caption.</summary>
    public static string Table(TextTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var html = new StringBuilder("<table class=\"llmops-card\"><caption style=\"text-align:left;font-weight:bold\">")
            .Append(Escape(table.Title)).Append("</caption><thead><tr>");
        foreach (string name in table.Header)
            html.Append("<th style=\"text-align:left\">").Append(Escape(name)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            foreach (string cell in row)
                html.Append("<td style=\"text-align:left\">").Append(Escape(cell)).Append("</td>");
            html.Append("</tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }

    /// <summary>Name/value rows as a table card.</summary>
    public static string Rows(string caption, IEnumerable<(string Name, string Value)> rows)
    {
        var html = new StringBuilder("<table class=\"llmops-card\"><caption>").Append(Escape(caption)).Append("</caption>");
        foreach (var (name, value) in rows)
            html.Append("<tr><th style=\"text-align:left\">").Append(Escape(name))
                .Append("</th><td style=\"text-align:left\">").Append(Escape(value)).Append("</td></tr>");
        return html.Append("</table>").ToString();
    }

    static string Escape(string text) => WebUtility.HtmlEncode(text);
}
