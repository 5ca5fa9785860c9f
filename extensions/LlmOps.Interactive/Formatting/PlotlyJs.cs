namespace LlmOps.Interactive.Formatting;

/// <summary>The plotly.js that Plotly.NET ships inside its assembly, so charts draw offline (no CDN, ever).</summary>
public static class PlotlyJs
{
    static readonly Lazy<(string Version, string Script)> Embedded = new(Read);

    /// <summary>The plotly.js version, e.g. 2.28.0.</summary>
    public static string Version => Embedded.Value.Version;

    /// <summary>The minified plotly.js source.</summary>
    public static string Script => Embedded.Value.Script;

    static (string, string) Read()
    {
        var assembly = typeof(Plotly.NET.GenericChart).Assembly;
        string name = assembly.GetManifestResourceNames().Single(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return (name["Plotly.NET.plotly-".Length..^".min.js".Length], reader.ReadToEnd());
    }
}
