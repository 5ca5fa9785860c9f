namespace LlmOps.Interactive.Formatting;

/// <summary>The plotly.js that Plotly.NET ships inside its assembly, so charts draw offline (no CDN, ever).</summary>
public static class PlotlyJs
{
    static readonly Lazy<(string Version, string Script)> Embedded = new(Read);

    /// <summary>The plotly.js version, e.g. 2.28.0.</summary>
    public static string Version => Embedded.Value.Version;

    /// <summary>The minified plotly.js source.</summary>
    public static string Script => Embedded.Value.Script;

    /// <summary>The comment that opens the embedded library's script element: how a host recognises the one output of
    /// a document that carries plotly.js (so a live update of that output can carry it again).</summary>
    public static string Marker => $"/* plotly.js {Version}, embedded once per document */";

    /// <summary>Whether <paramref name="html"/> carries the embedded library.</summary>
    public static bool IsEmbeddedIn(string? html) => html is not null && html.Contains(Marker, StringComparison.Ordinal);

    static (string, string) Read()
    {
        var assembly = typeof(Plotly.NET.GenericChart).Assembly;
        string name = assembly.GetManifestResourceNames().Single(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return (name["Plotly.NET.plotly-".Length..^".min.js".Length], reader.ReadToEnd());
    }
}
