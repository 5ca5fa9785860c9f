namespace LlmOps.Core.Evaluation;

/// <summary>A rubric judge's grade of one answer.</summary>
/// <param name="Score">1 (worst) to 5 (best); null when the judge's answer could not be read or the judge failed.</param>
/// <param name="Reasons">The judge's reasons ("" when it gave none).</param>
/// <param name="Raw">The judge's answer as received ("" when the call failed).</param>
/// <param name="Error">Why there is no score (the raw text is kept in <paramref name="Raw"/>), else null.</param>
public sealed record JudgeGrade(int? Score, string Reasons, string Raw, string? Error = null);
