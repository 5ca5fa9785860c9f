namespace LlmOps.Core.Data.Stats;

/// <summary>
/// A corpus at a glance: sizes, lengths, duplication, PII, scripts, markup and boilerplate, frequent n-grams and a
/// per-source breakdown. Renders as a card with charts in notebooks and as tables on the console.
/// </summary>
/// <param name="Name">What was measured (a dataset or file name).</param>
/// <param name="Documents">Documents.</param>
/// <param name="Characters">Characters (UTF-16 code units, as .NET counts them).</param>
/// <param name="Words">Whitespace-separated words.</param>
/// <param name="Tokens">Tokens by <paramref name="Tokenizer"/>, or null when no tokenizer was given.</param>
/// <param name="Tokenizer">The tokenizer's name.</param>
/// <param name="Lengths">Histogram of document lengths in characters.</param>
/// <param name="NonAsciiShare">Share of characters outside ASCII.</param>
/// <param name="Scripts">Letters per writing system (Latin, Cyrillic, Han, ...).</param>
/// <param name="HtmlShare">Share of documents that look like HTML markup.</param>
/// <param name="BoilerplateLineShare">Share of substantial lines (20+ characters) already seen in an earlier document:
/// templates, footers, signatures, quoted replies.</param>
/// <param name="Probes">What the measuring steps (exact and near dedup, PII, ...) would do to this corpus.</param>
/// <param name="TopWords">Most frequent words (lower-cased, stop words skipped).</param>
/// <param name="TopBigrams">Most frequent word pairs that are not made only of stop words.</param>
/// <param name="Sources">Per-source breakdown, largest first.</param>
/// <param name="Seconds">Time taken.</param>
public sealed record DataStats(
    string Name,
    long Documents,
    long Characters,
    long Words,
    long? Tokens,
    string? Tokenizer,
    LengthHistogram Lengths,
    double NonAsciiShare,
    IReadOnlyDictionary<string, long> Scripts,
    double HtmlShare,
    double BoilerplateLineShare,
    IReadOnlyList<ProbeResult> Probes,
    IReadOnlyList<NgramCount> TopWords,
    IReadOnlyList<NgramCount> TopBigrams,
    IReadOnlyList<SourceStats> Sources,
    double Seconds)
{
    /// <summary>The probe named <paramref name="name"/>, or null when it was not run.</summary>
    public ProbeResult? Probe(string name) => Probes.FirstOrDefault(p => p.Name == name);
}
