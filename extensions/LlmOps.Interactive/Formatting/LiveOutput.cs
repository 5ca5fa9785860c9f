namespace LlmOps.Interactive.Formatting;

/// <summary>
/// One displayed output that may be replaced in place (a live chart, a progress line): renders each new value into
/// the MIME bundle that replaces the previous one. Both hosts use it, the headless runner's cell outputs and the
/// kernel's display sink, so they cannot differ in the one rule that needs state: plotly.js is written once per
/// document, with its first chart, and a saved notebook keeps only an output's final state; so when the output that
/// carried the library is replaced, the replacement carries it again. Without that, a document whose first chart is a
/// live one (03-pretrain's training curve) saves charts that no longer draw.
/// </summary>
/// <param name="context">The document's rendering state.</param>
public sealed class LiveOutput(RenderContext context)
{
    readonly object gate = new();
    IReadOnlyList<KeyValuePair<string, string>>? current;

    /// <summary>The bundle currently shown, or null before the first <see cref="Render"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Current
    {
        get { lock (gate) return current; }
    }

    /// <summary>Renders <paramref name="value"/> as this output's new content (the first display or an update).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Render(object? value)
    {
        lock (gate)
        {
            if (current is not null && PlotlyJs.IsEmbeddedIn(current.FirstOrDefault(b => b.Key == "text/html").Value))
                context.PlotlyJsEmitted = false;
            current = MimeRenderer.Render(value, context);
            return current;
        }
    }

    /// <summary>Renders <paramref name="value"/> as this output's new content, wrapped as a value whose formatters
    /// write exactly that bundle (how a host that formats values itself, the kernel, shows pre-rendered content).</summary>
    public RenderedOutput RenderOutput(object? value) => new(Render(value));
}

/// <summary>A MIME bundle rendered ahead of display; hosts show it as it is.</summary>
/// <param name="Bundle">MIME type to content, text/plain first.</param>
public sealed record RenderedOutput(IReadOnlyList<KeyValuePair<string, string>> Bundle) : IRichDisplay
{
    /// <summary>The MIME types of <see cref="Bundle"/>, in order.</summary>
    public string[] MimeTypes => [.. Bundle.Select(b => b.Key)];

    /// <inheritdoc />
    public IReadOnlyList<KeyValuePair<string, string>> ToMimeBundle() => Bundle;

    /// <summary>The plain-text form.</summary>
    public override string ToString() => Bundle.FirstOrDefault(b => b.Key == "text/plain").Value ?? "";
}
