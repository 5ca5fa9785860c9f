namespace LlmOps.Interactive.Formatting;

/// <summary>
/// One displayed output that may be replaced in place (a live chart, a progress line): renders its first display, each
/// update, and its final state. Both hosts use it, the headless runner's cell outputs and the kernel's display sink, so
/// they cannot differ in the one rule that needs state: plotly.js is written once per document, with its first chart,
/// and a saved notebook keeps only an output's final state. When the output that carries the library is updated, the
/// update leaves the library out (the page that shows it has the library already; re-sending its 3.6 MB with every
/// training step cost the kernel a serialisation and the front end a parse per step), and <see cref="Complete"/>, when
/// the cell ends, gives the final state with the library back, so a document whose first chart is a live one
/// (03-pretrain's training curve) saves charts that still draw.
/// </summary>
/// <param name="context">The document's rendering state.</param>
public sealed class LiveOutput(RenderContext context)
{
    readonly object gate = new();
    IReadOnlyList<KeyValuePair<string, string>>? current;
    object? latest;
    bool carriesLibrary;
    bool owesLibrary;

    /// <summary>The bundle currently shown, or null before the first <see cref="Render"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Current
    {
        get { lock (gate) return current; }
    }

    /// <summary>Renders <paramref name="value"/> as this output's first display, or as an update of it: an update of
    /// the output that carries plotly.js leaves the library out until <see cref="Complete"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Render(object? value)
    {
        lock (gate)
        {
            latest = value;
            current = MimeRenderer.Render(value, context);
            if (PlotlyJs.IsEmbeddedIn(Html(current)))
            {
                carriesLibrary = true;
                owesLibrary = false;
            }
            else
            {
                owesLibrary = carriesLibrary;
            }
            return current;
        }
    }

    /// <summary>Renders <paramref name="value"/> as this output's new content, wrapped as a value whose formatters
    /// write exactly that bundle (how a host that formats values itself, the kernel, shows pre-rendered content).</summary>
    public RenderedOutput RenderOutput(object? value) => new(Render(value));

    /// <summary>The output's final state, when the cell that shows it ends: the last value rendered again with plotly.js
    /// when this output carried the library and its last update left it out; null when the current bundle is final.</summary>
    public RenderedOutput? Complete()
    {
        lock (gate)
        {
            if (!owesLibrary)
                return null;
            context.PlotlyJsEmitted = false;
            current = MimeRenderer.Render(latest, context);
            owesLibrary = !PlotlyJs.IsEmbeddedIn(Html(current));
            return new RenderedOutput(current);
        }
    }

    /// <summary>For a host that cannot deliver the final state (the cell failed or was cancelled first): when this
    /// output's shown state lacks the library it owed, the document's next chart carries plotly.js instead.</summary>
    public void Abandon()
    {
        lock (gate)
        {
            if (owesLibrary)
                context.PlotlyJsEmitted = false;
        }
    }

    static string? Html(IReadOnlyList<KeyValuePair<string, string>> bundle) => bundle.FirstOrDefault(b => b.Key == "text/html").Value;
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
