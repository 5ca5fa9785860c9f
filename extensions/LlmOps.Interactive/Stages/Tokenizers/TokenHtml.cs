using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmOps.Core.Display;
using LlmOps.Core.Tokenization;

using LlmOps.Interactive.Formatting;

namespace LlmOps.Interactive.Stages.Tokenizers;

/// <summary>
/// The tokenizer stage's records as HTML: a token view as coloured spans (whitespace visible, ids on hover) under its
/// counts, and a comparison as the text form's table beside a bar chart drawn with the document's one plotly.js.
/// </summary>
static class TokenHtml
{
    /// <summary>Pastel backgrounds cycled over spans, so neighbouring tokens are told apart without a border.</summary>
    static readonly string[] Colours = ["#fde2e4", "#e2ece9", "#dfe7fd", "#fff1c1", "#e8dff5", "#d6f5d6"];

    /// <summary>The tokens as coloured spans under their counts.</summary>
    public static string View(TokenView view)
    {
        var html = new StringBuilder("<div class=\"llmops-tokens\"><div style=\"font-weight:bold;margin-bottom:0.3em\">")
            .Append(Escape(TokenText.Counts(view))).Append("</div>")
            .Append("<div style=\"font-family:monospace;white-space:pre-wrap;word-break:break-all;line-height:1.9\">");
        for (int i = 0; i < view.Spans.Count; i++)
        {
            var span = view.Spans[i];
            string ids = string.Join(", ", span.Ids.Select(id => id.ToString(CultureInfo.InvariantCulture)));
            string title = (span.Ids.Count == 1 ? "id " : $"{span.Ids.Count} tokens (one character split into bytes): ids ") + ids;
            // A newline is shown as ↵ and also breaks the line, so the text keeps its shape.
            string text = Escape(TokenText.Visible(span.Text)).Replace("↵", "↵<br>", StringComparison.Ordinal);
            html.Append("<span class=\"llmops-token\" title=\"").Append(Escape(title)).Append("\" data-ids=\"").Append(ids)
                .Append("\" style=\"background:").Append(Colours[i % Colours.Length]).Append(";border-radius:3px;padding:1px 0\">")
                .Append(text).Append("</span>");
        }
        return html.Append("</div></div>").ToString();
    }

    /// <summary>The comparison table beside a bar chart.</summary>
    public static string Comparison(TokenizerComparison comparison, RenderContext context)
    {
        var names = comparison.Scores.Select(s => (JsonNode)JsonValue.Create(s.Name)).ToArray();
        JsonObject Trace(string name, IEnumerable<double> values) => new()
        {
            ["type"] = "bar",
            ["name"] = name,
            ["x"] = new JsonArray([.. names.Select(n => n.DeepClone())]),
            ["y"] = new JsonArray([.. values.Select(v => (JsonNode)JsonValue.Create(Math.Round(v, 3)))]),
        };
        var figure = new JsonObject
        {
            ["data"] = new JsonArray(
                Trace("tokens per word", comparison.Scores.Select(s => s.TokensPerWord)),
                Trace("bytes per token", comparison.Scores.Select(s => s.BytesPerToken))),
            ["layout"] = new JsonObject
            {
                ["title"] = new JsonObject { ["text"] = "Tokenizers on the same text" },
                ["barmode"] = "group",
                ["width"] = 520,
                ["height"] = 320,
                ["margin"] = new JsonObject { ["t"] = 40, ["b"] = 80, ["l"] = 50, ["r"] = 10 },
            },
        };
        return "<div class=\"llmops-data\"><div style=\"display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start\"><div>" +
            HtmlCard.Table(TokenText.Comparison(comparison)) + "</div><div>" + ChartRenderer.Html(figure, context) + "</div></div></div>";
    }

    static string Escape(string text) => WebUtility.HtmlEncode(text);
}
