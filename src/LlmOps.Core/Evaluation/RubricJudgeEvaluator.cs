using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace LlmOps.Core.Evaluation;

/// <summary><see cref="RubricJudge"/> as a Microsoft.Extensions.AI.Evaluation <see cref="IEvaluator"/>: the judge is
/// the <see cref="ChatConfiguration"/>'s client (the library's convention for LLM-based evaluators), the question the
/// last user message, the answer the response, the reference an optional <see cref="EvalReferenceContext"/>. The
/// grade is a <see cref="NumericMetric"/> (1-5) with the judge's reasons as its reason and an interpretation (5
/// exceptional ... 1 unacceptable; failed below <see cref="PassingScore"/>); an unreadable answer or a failing judge
/// leaves the value empty with an error diagnostic holding the raw text.</summary>
public sealed class RubricJudgeEvaluator : IEvaluator
{
    /// <summary>An evaluator grading by <paramref name="rubric"/>.</summary>
    /// <param name="rubric">What a good answer is, in words.</param>
    /// <param name="metricName">The metric's name in results.</param>
    /// <param name="passingScore">The lowest grade that passes.</param>
    public RubricJudgeEvaluator(string rubric, string metricName = "judge", int passingScore = 4)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rubric);
        ArgumentException.ThrowIfNullOrWhiteSpace(metricName);
        ArgumentOutOfRangeException.ThrowIfLessThan(passingScore, RubricJudge.MinScore);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(passingScore, RubricJudge.MaxScore);
        Rubric = rubric;
        MetricName = metricName;
        PassingScore = passingScore;
    }

    /// <summary>The rubric.</summary>
    public string Rubric { get; }

    /// <summary>The metric's name.</summary>
    public string MetricName { get; }

    /// <summary>The lowest grade whose interpretation is not failed.</summary>
    public int PassingScore { get; }

    /// <inheritdoc/>
    public IReadOnlyCollection<string> EvaluationMetricNames => [MetricName];

    /// <inheritdoc/>
    public async ValueTask<EvaluationResult> EvaluateAsync(IEnumerable<ChatMessage> messages, ChatResponse modelResponse,
        ChatConfiguration? chatConfiguration = null, IEnumerable<EvaluationContext>? additionalContext = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(modelResponse);
        var metric = new NumericMetric(MetricName);
        var result = new EvaluationResult(metric);
        if (chatConfiguration?.ChatClient is not { } judge)
        {
            metric.AddDiagnostics(EvaluationDiagnostic.Error($"{MetricName} needs a judge: pass a {nameof(ChatConfiguration)} with its chat client."));
            return result;
        }
        string question = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
        string? reference = EvalReferenceContext.Find(additionalContext);
        var grade = await new RubricJudge(judge, Rubric).GradeAsync(question, modelResponse.Text, reference, cancellationToken).ConfigureAwait(false);
        if (grade.Score is not { } score)
        {
            metric.AddDiagnostics(EvaluationDiagnostic.Error(grade.Error!));
            return result;
        }
        metric.Value = score;
        metric.Reason = grade.Reasons;
        var rating = score switch
        {
            5 => EvaluationRating.Exceptional,
            4 => EvaluationRating.Good,
            3 => EvaluationRating.Average,
            2 => EvaluationRating.Poor,
            _ => EvaluationRating.Unacceptable,
        };
        metric.Interpretation = new EvaluationMetricInterpretation(rating, failed: score < PassingScore,
            reason: $"{MetricName} {score} of {RubricJudge.MaxScore} (passing: {PassingScore})");
        if (reference is not null)
            metric.AddOrUpdateContext(new EvalReferenceContext(reference));
        return result;
    }
}
