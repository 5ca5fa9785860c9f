namespace LlmOps.Core.Modeling;

/// <summary>One parameter tensor of a <see cref="Gpt"/>, as a summary table shows it.</summary>
/// <param name="Name">State-dict name (<c>h.0.attn.c_attn.weight</c>).</param>
/// <param name="Shape">Tensor shape.</param>
/// <param name="Parameters">Elements it adds to the count (0 for a tied alias).</param>
/// <param name="Note">Why the row is special (tied weights), else null.</param>
public sealed record GptSummaryRow(string Name, IReadOnlyList<long> Shape, long Parameters, string? Note);
