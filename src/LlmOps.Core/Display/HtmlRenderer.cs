using System.Net;
using System.Text;
using LlmOps.Core.Platform;

namespace LlmOps.Core.Display;

/// <summary>The text/html form of result records, for notebooks and HTML reports. Every type also has a text form
/// (<see cref="TextRenderer"/>), so a frontend without HTML still shows something useful.</summary>
public static class HtmlRenderer
{
    /// <summary>Renders <paramref name="value"/> as an HTML fragment; unknown types become their encoded text form.</summary>
    public static string Render(object? value) => value switch
    {
        EnvironmentReport report => Table("Environment", TextRenderer.Rows(report)),
        _ => $"<pre>{WebUtility.HtmlEncode(TextRenderer.Render(value))}</pre>",
    };

    static string Table(string caption, IEnumerable<(string Name, string Value)> rows)
    {
        var html = new StringBuilder("<table class=\"llmops-card\"><caption>").Append(WebUtility.HtmlEncode(caption)).Append("</caption>");
        foreach (var (name, value) in rows)
            html.Append("<tr><th style=\"text-align:left\">").Append(WebUtility.HtmlEncode(name))
                .Append("</th><td style=\"text-align:left\">").Append(WebUtility.HtmlEncode(value)).Append("</td></tr>");
        return html.Append("</table>").ToString();
    }
}
