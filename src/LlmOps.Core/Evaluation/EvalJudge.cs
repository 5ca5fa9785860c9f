namespace LlmOps.Core.Evaluation;

/// <summary>A task's LLM judge for the <c>judge</c> metric (<see cref="RubricJudge"/>).</summary>
/// <param name="Rubric">What a good answer is, in words.</param>
/// <param name="Endpoint">The judge model; null: the one the run is given (<c>--judge-endpoint</c>), which also
/// overrides this one.</param>
public sealed record EvalJudge(string Rubric, EvalEndpoint? Endpoint = null);
