namespace LlmOps.Core.Data.Cleaning;

/// <summary>
/// The thresholds of the Gopher quality rules (Rae et al. 2021, "Scaling Language Models", appendix A.1.1, the
/// MassiveText filters). The defaults are the published values, which are also datatrove's
/// <c>GopherQualityFilter</c> defaults; null switches a rule off.
/// </summary>
public sealed record GopherQualityConfig
{
    /// <summary>Fewest words (words with at least one letter, digit or other non-symbol character).</summary>
    public int? MinWords { get; init; } = 50;

    /// <summary>Most words; longer documents are usually dumps, logs or concatenations.</summary>
    public int? MaxWords { get; init; } = 100_000;

    /// <summary>Smallest mean word length in characters (over the same words as <see cref="MinWords"/>).</summary>
    public double? MinMeanWordLength { get; init; } = 3;

    /// <summary>Largest mean word length in characters.</summary>
    public double? MaxMeanWordLength { get; init; } = 10;

    /// <summary>Largest ratio of <c>#</c> symbols to words, and separately of ellipses (<c>...</c> or <c>…</c>) to words.</summary>
    public double? MaxSymbolWordRatio { get; init; } = 0.1;

    /// <summary>Largest fraction of lines that start with a bullet (<see cref="BulletPrefixes"/>, after indentation).</summary>
    public double? MaxBulletLineFraction { get; init; } = 0.9;

    /// <summary>What counts as a bullet at the start of a line (datatrove's: • and -).</summary>
    public IReadOnlyList<string> BulletPrefixes { get; init; } = ["•", "-"];

    /// <summary>Largest fraction of lines that end with an ellipsis (<c>...</c> or <c>…</c>): truncated snippets.</summary>
    public double? MaxEllipsisLineFraction { get; init; } = 0.3;

    /// <summary>Smallest fraction of all words that contain an alphabetic character.</summary>
    public double? MinAlphabeticWordFraction { get; init; } = 0.8;

    /// <summary>Fewest distinct <see cref="StopWords"/> the text must use: real prose cannot avoid them.</summary>
    public int? MinStopWords { get; init; } = 2;

    /// <summary>The stop words (lower case), the paper's eight English ones by default.</summary>
    public IReadOnlyList<string> StopWords { get; init; } = ["the", "be", "to", "of", "and", "that", "have", "with"];
}
