using System.Net;
using System.Text;
using LlmOps.Interactive.Formatting;

namespace LlmOps.Interactive.Commands;

/// <summary>What <c>#!llmops-help</c> shows: every command with its usage, description and parameters.</summary>
/// <param name="Commands">The commands to list.</param>
public sealed record CommandHelp(IReadOnlyList<MagicCommand> Commands) : IRichDisplay
{
    /// <inheritdoc />
    public IReadOnlyList<KeyValuePair<string, string>> ToMimeBundle() =>
        [new("text/plain", ToString()), new("text/html", ToHtml())];

    /// <summary>The help as plain text.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var command in Commands)
        {
            text.Append(command.Usage).Append('\n').Append("    ").Append(command.Description).Append('\n');
            foreach (var p in command.Parameters)
                text.Append("    ").Append(p.Option.PadRight(18)).Append(' ').Append(p.Description)
                    .Append(p.Default is null ? "" : $" (default: {p.Default})").Append('\n');
        }
        return text.ToString();
    }

    string ToHtml()
    {
        var html = new StringBuilder("<table class=\"llmops-help\"><thead><tr><th>command</th><th>what it does</th><th>parameters</th></tr></thead><tbody>");
        foreach (var command in Commands)
        {
            html.Append("<tr><td><code>").Append(WebUtility.HtmlEncode(command.Usage)).Append("</code></td><td>")
                .Append(WebUtility.HtmlEncode(command.Description)).Append("</td><td>");
            foreach (var p in command.Parameters)
                html.Append("<code>").Append(WebUtility.HtmlEncode(p.Option)).Append("</code> ")
                    .Append(WebUtility.HtmlEncode(p.Description + (p.Default is null ? "" : $" (default: {p.Default})"))).Append("<br/>");
            html.Append("</td></tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }
}
