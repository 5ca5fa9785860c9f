using System.Net;
using System.Text;
using System.Globalization;
using LlmOps.Core.Platform;
using LlmOps.Core.Training;

namespace LlmOps.Core.Display;

/// <summary>The text/html form of result records, for notebooks and HTML reports. Every type also has a text form
/// (<see cref="TextRenderer"/>), so a frontend without HTML still shows something useful.</summary>
public static class HtmlRenderer
{
    /// <summary>Whether <paramref name="value"/> has an HTML form richer than its text (hosts skip text/html otherwise).</summary>
    public static bool CanRender(object? value) => value is EnvironmentReport or SmokeTrainingProgress or SmokeTrainingResult;

    /// <summary>Renders <paramref name="value"/> as an HTML fragment; unknown types become their encoded text form.</summary>
    public static string Render(object? value) => value switch
    {
        EnvironmentReport report => Table("Environment", TextRenderer.Rows(report)),
        SmokeTrainingProgress progress => ProgressBar(progress),
        SmokeTrainingResult result => Table("Smoke training", [
            ("device", result.Device),
            ("steps", result.Steps.ToString(CultureInfo.InvariantCulture)),
            ("loss", string.Create(CultureInfo.InvariantCulture, $"{result.InitialLoss:F4} → {result.FinalLoss:F5}")),
            ("seconds", result.Seconds.ToString("F2", CultureInfo.InvariantCulture)),
            ("status", result.Cancelled ? "cancelled" : "finished"),
        ]),
        _ => $"<pre>{WebUtility.HtmlEncode(TextRenderer.Render(value))}</pre>",
    };

    static string ProgressBar(SmokeTrainingProgress progress) => string.Create(CultureInfo.InvariantCulture,
        $"<div class=\"llmops-progress\"><progress max=\"{progress.TotalSteps}\" value=\"{progress.Step}\" style=\"width:20em\"></progress> ") +
        WebUtility.HtmlEncode(TextRenderer.Render(progress)[(TextRenderer.Render(progress).IndexOf(']', StringComparison.Ordinal) + 2)..]) + "</div>";

    static string Table(string caption, IEnumerable<(string Name, string Value)> rows)
    {
        var html = new StringBuilder("<table class=\"llmops-card\"><caption>").Append(WebUtility.HtmlEncode(caption)).Append("</caption>");
        foreach (var (name, value) in rows)
            html.Append("<tr><th style=\"text-align:left\">").Append(WebUtility.HtmlEncode(name))
                .Append("</th><td style=\"text-align:left\">").Append(WebUtility.HtmlEncode(value)).Append("</td></tr>");
        return html.Append("</table>").ToString();
    }
}
