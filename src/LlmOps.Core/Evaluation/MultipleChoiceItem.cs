namespace LlmOps.Core.Evaluation;

/// <summary>A harness-style multiple-choice item (<c>question</c>, <c>choices</c>, <c>answer</c>: the layout of
/// the harness's MMLU, ARC and HellaSwag exports).</summary>
/// <param name="Record">The line it came from, with every field (prompt templates may use any).</param>
/// <param name="Choices">The candidate continuations.</param>
/// <param name="Answer">The gold choice's 0-based index.</param>
public sealed record MultipleChoiceItem(EvalRecord Record, IReadOnlyList<string> Choices, int Answer);
