using LlmOps.Core.Data.Cleaning;

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
    int TopCount = 20);
