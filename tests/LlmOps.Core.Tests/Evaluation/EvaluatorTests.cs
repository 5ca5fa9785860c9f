using LlmOps.Core.Evaluation;
using LlmOps.Tests;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using static LlmOps.Core.Tests.Evaluation.EndpointEvalTests;

namespace LlmOps.Core.Tests.Evaluation;

/// <summary>Our metrics and the rubric judge as Microsoft.Extensions.AI.Evaluation evaluators, run through the
/// library's own API (<see cref="CompositeEvaluator"/>, <see cref="IEvaluator.EvaluateAsync"/>, metrics read by name)
/// beside an evaluator written against the library alone.</summary>
public class EvaluatorTests
{
    /// <summary>An evaluator that knows nothing of ours: the kind a user brings from the library's ecosystem.</summary>
    sealed class LengthEvaluator : IEvaluator
    {
        public IReadOnlyCollection<string> EvaluationMetricNames => ["length"];

        public ValueTask<EvaluationResult> EvaluateAsync(IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration = null,
            IEnumerable<EvaluationContext>? additionalContext = null, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new EvaluationResult(new NumericMetric("length", modelResponse.Text.Length)));
    }

    static CompositeEvaluator Composite() => new(
        new MetricEvaluator(EvalMetric.ExactMatch), new MetricEvaluator(EvalMetric.TokenF1), new RubricJudgeEvaluator("5: the right capital; 1: not a city."),
        new LengthEvaluator());

    [Fact]
    public async Task Our_metrics_and_judge_mix_with_a_library_evaluator_in_a_composite()
    {
        await using var judge = new ScriptedChatServer((request, _) => ScriptedReply.Answer(
            request.User.Contains("Reference answer:\nParis\n\nAnswer to grade:\nParis, France", StringComparison.Ordinal)
                ? """{"score": 4, "reasons": "right city, extra words"}""" : """{"score": 1, "reasons": "unexpected prompt"}"""));
        using var judgeClient = Endpoint(judge).CreateChatClient();

        // The library's composite calls each evaluator through IEvaluator, as its reporting pipeline does.
        var evaluator = Composite();
        var result = await evaluator.EvaluateAsync([new ChatMessage(ChatRole.User, "Capital of France?")],
            new ChatResponse(new ChatMessage(ChatRole.Assistant, "Paris, France")), new ChatConfiguration(judgeClient), [new EvalReferenceContext("Paris")]);

        Assert.Equal(["exact_match", "token_f1", "judge", "length"], evaluator.EvaluationMetricNames);
        Assert.Equal(0.0, result.Get<NumericMetric>("exact_match").Value);
        // "paris france" against "paris": precision 1/2, recall 1.
        Assert.Equal(2.0 / 3, result.Get<NumericMetric>("token_f1").Value!.Value, 12);
        var graded = result.Get<NumericMetric>("judge");
        Assert.Equal(4.0, graded.Value);
        Assert.Equal("right city, extra words", graded.Reason);
        Assert.Equal((EvaluationRating.Good, false), (graded.Interpretation!.Rating, graded.Interpretation.Failed));
        Assert.Equal(13.0, result.Get<NumericMetric>("length").Value);
        Assert.False(result.ContainsDiagnostics());
        Assert.Equal(1, judge.Calls);
    }

    [Fact]
    public async Task Missing_inputs_and_unreadable_grades_are_error_diagnostics_without_a_value()
    {
        await using var judge = new ScriptedChatServer((_, _) => ScriptedReply.Answer("No idea."));
        using var judgeClient = Endpoint(judge).CreateChatClient();
        var messages = new[] { new ChatMessage(ChatRole.User, "Capital of France?") };
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "Paris"));

        var withoutReference = await Composite().EvaluateAsync(messages, response, new ChatConfiguration(judgeClient));
        var withoutJudge = await new RubricJudgeEvaluator("5: right.").EvaluateAsync(messages, response, additionalContext: [new EvalReferenceContext("Paris")]);

        Assert.Null(withoutReference.Get<NumericMetric>("exact_match").Value);
        Assert.Contains(withoutReference.Get<NumericMetric>("exact_match").Diagnostics!, d => d.Severity == EvaluationDiagnosticSeverity.Error && d.Message.Contains(nameof(EvalReferenceContext)));
        var unreadable = withoutReference.Get<NumericMetric>("judge");
        Assert.Null(unreadable.Value);
        Assert.Contains(unreadable.Diagnostics!, d => d.Severity == EvaluationDiagnosticSeverity.Error && d.Message.Contains("No idea."));
        Assert.Null(withoutJudge.Get<NumericMetric>("judge").Value);
        Assert.Contains(withoutJudge.Get<NumericMetric>("judge").Diagnostics!, d => d.Message.Contains(nameof(ChatConfiguration)));
    }

    [Fact]
    public void Metrics_that_are_not_per_item_text_metrics_are_refused() =>
        Assert.Contains("bleu", Assert.Throws<ArgumentException>(() => new MetricEvaluator(EvalMetric.Bleu)).Message);
}
