using System.Text.Json;

namespace LlmOps.Core.Evaluation;

/// <summary>Metric names and which task kind each belongs to.</summary>
public static class EvalMetrics
{
    /// <summary>The metrics a task of <paramref name="kind"/> can compute.</summary>
    public static IReadOnlyList<EvalMetric> For(EvalTaskKind kind) => kind switch
    {
        EvalTaskKind.GenerateUntil => [EvalMetric.ExactMatch, EvalMetric.Contains, EvalMetric.Regex, EvalMetric.TokenF1, EvalMetric.Bleu, EvalMetric.RougeL, EvalMetric.Judge],
        EvalTaskKind.MultipleChoice => [EvalMetric.Acc, EvalMetric.AccNorm],
        EvalTaskKind.LoglikelihoodRolling => [EvalMetric.Perplexity, EvalMetric.WordPerplexity, EvalMetric.BytePerplexity, EvalMetric.BitsPerByte],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The name suite files and results use (<c>exact_match</c>, <c>acc_norm</c>, ...).</summary>
    public static string Name(EvalMetric metric) => JsonNamingPolicy.SnakeCaseLower.ConvertName(metric.ToString());

    /// <summary>The name suite files use for <paramref name="kind"/> (<c>generate_until</c>, ...).</summary>
    public static string Name(EvalTaskKind kind) => JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());

    /// <summary>True for the metrics whose values lie in [0, 1], higher better (what a leaderboard averages): not
    /// BLEU (0-100), the judge's grade (1-5) or the lower-is-better ones.</summary>
    public static bool IsUnitScore(string metric) =>
        !LowerIsBetter(metric) && metric != Name(EvalMetric.Bleu) && metric != Name(EvalMetric.Judge);

    /// <summary>True for the metrics where lower is better (the perplexities and bits per byte, all of the
    /// loglikelihood_rolling kind), named as <see cref="Name(EvalMetric)"/> writes them.</summary>
    public static bool LowerIsBetter(string metric) =>
        For(EvalTaskKind.LoglikelihoodRolling).Any(m => Name(m) == metric);
}
