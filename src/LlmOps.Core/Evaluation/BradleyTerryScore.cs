namespace LlmOps.Core.Evaluation;

/// <summary>One player's Bradley-Terry strength on the log scale (0 is the geometric mean of all players; a gap of d
/// means the stronger wins with probability 1 / (1 + e^-d)), with its bootstrap 95% interval.</summary>
/// <param name="Name">The player.</param>
/// <param name="Score">log strength.</param>
/// <param name="Lower">2.5th percentile over bootstrap refits.</param>
/// <param name="Upper">97.5th percentile.</param>
public sealed record BradleyTerryScore(string Name, double Score, double Lower, double Upper);
