using System.Globalization;
using LlmOps.Interactive.Stages;
using Microsoft.Data.Analysis;
using LlmOps.Interactive.Charts;
using Plotly.NET;

namespace LlmOps.Interactive.Formatting;

/// <summary>
/// The one place values become MIME bundles, for every host: the headless runner's cell outputs, the kernel's
/// formatters, and HTML reports. A bundle always starts with text/plain, so a frontend without HTML still shows
/// something useful; text/html follows where a richer form exists. Charts, DataFrames and self-rendering values
/// (<see cref="IRichDisplay"/>) are built in; every other type is rendered as its stage declares
/// (<see cref="Renderer"/>, found through the document's <see cref="RenderContext.Stages"/>).
/// </summary>
public static class MimeRenderer
{
    /// <summary>The MIME bundle for <paramref name="value"/> in the document that <paramref name="context"/> belongs to.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Render(object? value, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return value switch
        {
            null => [Plain("null")],
            IRichDisplay rich => rich.ToMimeBundle(),
            PlotlyChart chart => ChartBundle(chart.ToFigure(), context),
            GenericChart chart => ChartBundle(ChartRenderer.Figure(chart), context),
            DataFrame frame => [Plain(DataFrameRenderer.Text(frame)), Html(DataFrameRenderer.Html(frame, context))],
            string text => [Plain(text)],
            IFormattable formattable when value.GetType().IsPrimitive || value is decimal => [Plain(formattable.ToString(null, CultureInfo.InvariantCulture))],
            _ when context.Stages.Find(value.GetType()) is { } renderer => Declared(renderer, value, context),
            System.Collections.IEnumerable sequence => Sequence(sequence, context),
            _ => [Plain(value.ToString() ?? "")],
        };
    }

    /// <summary>A sequence (a LINQ query, a list) as its items, one per line and unnumbered, as the kernel shows collections; at most
    /// <see cref="MaxItems"/> are drawn, and the count says so.</summary>
    static KeyValuePair<string, string>[] Declared(Renderer renderer, object value, RenderContext context) => renderer.Html is { } html
        ? [Plain(renderer.Text(value)), Html(html(value, context))]
        : [Plain(renderer.Text(value))];

    static KeyValuePair<string, string>[] Sequence(System.Collections.IEnumerable sequence, RenderContext context)
    {
        var items = new List<string>();
        int count = 0;
        foreach (object? item in sequence)
        {
            if (count++ < MaxItems)
                items.Add(context.Stages.Text(item));
        }
        string more = count > MaxItems ? $"\n… {count - MaxItems:N0} more ({count:N0} items)" : "";
        // No list markers: items often number themselves ("1. 'a' + 'b'"), and an <ol> would number them again.
        string html = "<ul class=\"llmops-sequence\" style=\"list-style:none;padding-left:0\">" + string.Concat(items.Select(i => $"<li><code>{System.Net.WebUtility.HtmlEncode(i)}</code></li>")) + "</ul>"
            + (more.Length > 0 ? $"<p>{System.Net.WebUtility.HtmlEncode(more.Trim())}</p>" : "");
        return [Plain(string.Join("\n", items) + more), Html(html)];
    }

    /// <summary>How many items of a sequence a display shows.</summary>
    public const int MaxItems = 100;

    /// <summary>The MIME type of Plotly's figure JSON, which Jupyter's and GitHub's viewers draw themselves even where a
    /// notebook's HTML and scripts are not trusted.</summary>
    public const string PlotlyMimeType = "application/vnd.plotly.v1+json";

    /// <summary>Whether content of <paramref name="mimeType"/> is JSON (nbformat stores it as JSON, not as a string).</summary>
    public static bool IsJson(string mimeType)
    {
        ArgumentNullException.ThrowIfNull(mimeType);
        return mimeType == "application/json" || (mimeType.StartsWith("application/", StringComparison.Ordinal) && mimeType.EndsWith("+json", StringComparison.Ordinal));
    }

    static KeyValuePair<string, string>[] ChartBundle(System.Text.Json.Nodes.JsonObject figure, RenderContext context) =>
        [Plain(ChartRenderer.Text(figure)), Html(ChartRenderer.Html(figure, context)), new(PlotlyMimeType, figure.ToJsonString())];

    static KeyValuePair<string, string> Plain(string text) => new("text/plain", text);

    static KeyValuePair<string, string> Html(string html) => new("text/html", html);
}
