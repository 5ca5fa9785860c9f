namespace LlmOps.Core.Evaluation;

/// <summary>How a generate_until task generates (always greedily, so a run is reproducible).</summary>
/// <param name="MaxTokens">The longest output, in tokens.</param>
/// <param name="Stop">Strings that end the output (not included in it); the harness's <c>until</c>.</param>
public sealed record EvalGeneration(int MaxTokens = 32, IReadOnlyList<string>? Stop = null);
