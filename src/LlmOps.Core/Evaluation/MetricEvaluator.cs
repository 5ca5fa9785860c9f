using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace LlmOps.Core.Evaluation;

/// <summary>One of our per-item generation metrics (exact_match, contains, regex, token_f1, rouge_l) as a
/// Microsoft.Extensions.AI.Evaluation <see cref="IEvaluator"/>: the response's text scored against the
/// <see cref="EvalReferenceContext"/>, as a <see cref="NumericMetric"/> named as in suites (1/0 for the matches). It
/// mixes with the library's evaluators in a <see cref="CompositeEvaluator"/> and its reporting.</summary>
public sealed class MetricEvaluator : IEvaluator
{
    readonly Regex? pattern;

    /// <summary>An evaluator for <paramref name="metric"/>.</summary>
    /// <param name="metric">A per-item generate_until metric.</param>
    /// <param name="answerPattern">The answer pattern the regex metric extracts with.</param>
    public MetricEvaluator(EvalMetric metric, string? answerPattern = null)
    {
        if (metric is not (EvalMetric.ExactMatch or EvalMetric.Contains or EvalMetric.Regex or EvalMetric.TokenF1 or EvalMetric.RougeL))
            throw new ArgumentException($"'{EvalMetrics.Name(metric)}' is not a per-item text metric; use exact_match, contains, regex, token_f1 or rouge_l.", nameof(metric));
        if (metric == EvalMetric.Regex && string.IsNullOrEmpty(answerPattern))
            throw new ArgumentException("The regex metric needs an answer pattern.", nameof(answerPattern));
        Metric = metric;
        pattern = answerPattern is null ? null : new Regex(answerPattern);
        EvaluationMetricNames = [EvalMetrics.Name(metric)];
    }

    /// <summary>The metric.</summary>
    public EvalMetric Metric { get; }

    /// <inheritdoc/>
    public IReadOnlyCollection<string> EvaluationMetricNames { get; }

    /// <inheritdoc/>
    public ValueTask<EvaluationResult> EvaluateAsync(IEnumerable<ChatMessage> messages, ChatResponse modelResponse,
        ChatConfiguration? chatConfiguration = null, IEnumerable<EvaluationContext>? additionalContext = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelResponse);
        var result = new NumericMetric(EvalMetrics.Name(Metric));
        if (EvalReferenceContext.Find(additionalContext) is not { } reference)
            result.AddDiagnostics(EvaluationDiagnostic.Error($"{result.Name} needs the expected answer as an {nameof(EvalReferenceContext)}."));
        else
        {
            string output = modelResponse.Text;
            result.Value = Metric switch
            {
                EvalMetric.ExactMatch => ExactMatch.Matches(output, reference) ? 1 : 0,
                EvalMetric.Contains => ExactMatch.Contains(output, reference) ? 1 : 0,
                EvalMetric.Regex => RegexMatch.Matches(pattern!, output, reference) ? 1 : 0,
                EvalMetric.TokenF1 => TokenF1.Score(output, reference),
                _ => RougeL.Score(output, reference),
            };
            result.AddOrUpdateContext(new EvalReferenceContext(reference));
        }
        return ValueTask.FromResult(new EvaluationResult(result));
    }
}
