namespace LlmOps.Core.Data.Cleaning;

/// <summary>
/// The thresholds of the Gopher repetition rules: Rae et al. 2021, Table A1, which are also datatrove's
/// <c>GopherRepetitionFilter</c> defaults. A document is removed when a measured fraction is above its bound; null
/// (or a missing n) switches a rule off. Character fractions are of the whole text's length.
/// </summary>
public sealed record GopherRepetitionConfig
{
    /// <summary>Largest fraction of lines that repeat an earlier line.</summary>
    public double? DuplicateLineFraction { get; init; } = 0.3;

    /// <summary>Largest fraction of paragraphs (split at blank lines) that repeat an earlier paragraph.</summary>
    public double? DuplicateParagraphFraction { get; init; } = 0.3;

    /// <summary>Largest fraction of characters in lines that repeat an earlier line.</summary>
    public double? DuplicateLineCharFraction { get; init; } = 0.2;

    /// <summary>Largest fraction of characters in paragraphs that repeat an earlier paragraph.</summary>
    public double? DuplicateParagraphCharFraction { get; init; } = 0.2;

    /// <summary>Per n, the largest fraction of characters taken by the most frequent word n-gram (its length with the
    /// single spaces between words, times its count): catches a phrase said over and over.</summary>
    public IReadOnlyDictionary<int, double> TopNGramCharFractions { get; init; } = new Dictionary<int, double>
    {
        [2] = 0.20,
        [3] = 0.18,
        [4] = 0.16,
    };

    /// <summary>Per n, the largest fraction of characters inside word n-grams that repeat an earlier n-gram (counted
    /// without overlap; see <see cref="GopherRepetitionFilter"/>): catches copied passages.</summary>
    public IReadOnlyDictionary<int, double> DuplicateNGramCharFractions { get; init; } = new Dictionary<int, double>
    {
        [5] = 0.15,
        [6] = 0.14,
        [7] = 0.13,
        [8] = 0.12,
        [9] = 0.11,
        [10] = 0.10,
    };
}
