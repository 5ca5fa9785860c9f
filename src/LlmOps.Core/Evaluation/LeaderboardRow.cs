namespace LlmOps.Core.Evaluation;

/// <summary>One model's row of a <see cref="Leaderboard"/>.</summary>
/// <param name="Model">The model.</param>
/// <param name="Parameters">Its parameter count, when its results say.</param>
/// <param name="TokensPerSecond">Its throughput, when measured.</param>
/// <param name="Values">Metric values keyed by <see cref="Leaderboard.Key"/> (task/metric).</param>
/// <param name="Average">The mean of its 0-1 scores (every metric but BLEU, which is 0-100, and the perplexities and
/// bits per byte, where lower is better); null when it has none.</param>
/// <param name="Lineage">Where the model came from (its training run and data) and the evaluation run that scored it,
/// when its results carry it (the latest of its reports that does).</param>
public sealed record LeaderboardRow(string Model, long? Parameters, double? TokensPerSecond, IReadOnlyDictionary<string, double> Values, double? Average,
    EvalLineage? Lineage = null);
