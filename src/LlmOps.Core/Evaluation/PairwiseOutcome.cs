namespace LlmOps.Core.Evaluation;

/// <summary>One comparison between two players (models): who won.</summary>
/// <param name="Winner">The winner's index.</param>
/// <param name="Loser">The loser's index.</param>
public readonly record struct PairwiseOutcome(int Winner, int Loser);
