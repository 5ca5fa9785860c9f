using LlmOps.Core.Data.Cleaning;
using LlmOps.Core.Data.Dedup;

namespace LlmOps.Core.Data.Stats;

/// <summary>What <see cref="DataStatsCollector"/> measures beyond the basics.</summary>
/// <param name="CountTokens">Counts a text's tokens; null leaves tokens out (any tokenizer plugs in here).</param>
/// <param name="Tokenizer">The tokenizer's name, for the report.</param>
/// <param name="Probes">Cleaning steps run as measurements (their removals and counters are reported; the corpus is not
/// changed). Each probe must be a fresh instance: dedup steps remember what they saw.</param>
/// <param name="TopCount">How many top words and bigrams to report.</param>
public sealed record DataStatsOptions(
    Func<string, int>? CountTokens = null,
    string? Tokenizer = null,
    IReadOnlyList<ICleaningStep>? Probes = null,
    int TopCount = 20)
{
    /// <summary>The usual measurements: exact and near duplicates (the dedup steps' defaults) and PII hits by kind
    /// (the PII step), each a fresh instance.</summary>
    public static DataStatsOptions Standard(Func<string, int>? countTokens = null, string? tokenizer = null) =>
        new(countTokens, tokenizer, [new ExactDedup(), new NearDedup(), new PiiRedactor()]);
}
