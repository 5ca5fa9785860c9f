namespace LlmOps.Core.Evaluation;

/// <summary>One item's outcome, kept so later work can bootstrap confidence intervals or inspect failures.</summary>
/// <param name="Line">The item's line in the data file.</param>
/// <param name="Prompt">The full prompt the model saw (few-shot examples included).</param>
/// <param name="Target">The expected answer (the gold choice for multiple choice; empty for documents).</param>
/// <param name="Output">What the model generated (generate_until), else null.</param>
/// <param name="LogLikelihoods">Each choice's log-likelihood (multiple_choice) or the document's (loglikelihood_rolling).</param>
/// <param name="Scores">Per-item metric values (1/0 for matches; corpus metrics such as BLEU have none); empty for an
/// errored item.</param>
/// <param name="Error">Why the item has no scores (an endpoint that kept failing, a judge answer that could not be
/// read); null when it was scored. Errored items count in no metric: a failure is not a wrong answer.</param>
/// <param name="Reasons">The judge's reasons for its grade (the <c>judge</c> metric), else null.</param>
public sealed record EvalItemResult(long Line, string Prompt, string Target, string? Output, IReadOnlyList<double>? LogLikelihoods,
    IReadOnlyDictionary<string, double> Scores, string? Error = null, string? Reasons = null);
