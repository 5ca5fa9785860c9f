using LlmOps.Core.Display;

namespace LlmOps.Interactive.Formatting;

/// <summary>Renders values to MIME bundles (placeholder until the formatters land).</summary>
public static class MimeRenderer
{
    /// <summary>A MIME bundle for <paramref name="value"/>; text/plain always first.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Render(object? value, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (value is IRichDisplay rich)
            return rich.ToMimeBundle();
        return [new("text/plain", TextRenderer.Render(value)), new("text/html", HtmlRenderer.Render(value))];
    }
}
