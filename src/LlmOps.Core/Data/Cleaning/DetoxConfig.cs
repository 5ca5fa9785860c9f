using System.Reflection;

namespace LlmOps.Core.Data.Cleaning;

/// <summary>The terms <see cref="Detox"/> looks for and what it does with hits.</summary>
public sealed record DetoxConfig
{
    /// <summary>The name of the embedded copy of <c>datasets/detox/en.txt</c>. Embedded, not copied to the output
    /// folder, because notebooks load Core from a NuGet package where a loose data file would not be found.</summary>
    internal const string EnglishResource = "LlmOps.Core.Data.Cleaning.detox.en.txt";

    /// <summary>Words and phrases, matched ignoring case on word boundaries (never inside another word); a phrase's
    /// words may be separated by any whitespace.</summary>
    public required IReadOnlyList<string> Terms { get; init; }

    /// <summary>Remove documents or mask hits.</summary>
    public DetoxMode Mode { get; init; } = DetoxMode.RemoveDocument;

    /// <summary>With <see cref="DetoxMode.RemoveDocument"/>, the fewest hits (all terms together) that remove a
    /// document; 1 removes on any hit, a higher bound keeps texts with a stray word.</summary>
    public int MinHits { get; init; } = 1;

    /// <summary>With <see cref="DetoxMode.Mask"/>, what replaces each hit.</summary>
    public string Placeholder { get; init; } = "<MASKED>";

    /// <summary>The shipped short English list (<c>datasets/detox/en.txt</c>, embedded in Core) with default settings.</summary>
    public static DetoxConfig English()
    {
        using var stream = typeof(DetoxConfig).Assembly.GetManifestResourceStream(EnglishResource)
            ?? throw new InvalidOperationException($"The embedded term list {EnglishResource} is missing from {typeof(DetoxConfig).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return new DetoxConfig { Terms = ReadTerms(reader) };
    }

    /// <summary>Reads a term file: UTF-8, one term per line, <c>#</c> comment lines and blank lines ignored, terms
    /// lower-cased and trimmed, duplicates dropped.</summary>
    public static IReadOnlyList<string> LoadTerms(string path)
    {
        using var reader = new StreamReader(path);
        return ReadTerms(reader);
    }

    /// <summary>Reads terms in the <see cref="LoadTerms"/> format from any reader.</summary>
    public static IReadOnlyList<string> ReadTerms(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var terms = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            string term = string.Join(' ', TextUnits.Words(line)).ToLowerInvariant();
            if (term.Length > 0 && !term.StartsWith('#') && seen.Add(term))
                terms.Add(term);
        }
        return terms;
    }
}
