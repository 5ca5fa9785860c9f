namespace LlmOps.Core.Evaluation;

/// <summary>A corpus BLEU score and its parts, as sacrebleu prints them.</summary>
/// <param name="Score">BLEU, 0 to 100.</param>
/// <param name="Precisions">The 1- to 4-gram precisions, 0 to 100 (smoothed where zero).</param>
/// <param name="BrevityPenalty">exp(1 − r/c) when the output is shorter than the references, else 1.</param>
/// <param name="HypothesisLength">Output tokens (c).</param>
/// <param name="ReferenceLength">Closest-reference tokens (r).</param>
public sealed record BleuScore(double Score, IReadOnlyList<double> Precisions, double BrevityPenalty, long HypothesisLength, long ReferenceLength);
