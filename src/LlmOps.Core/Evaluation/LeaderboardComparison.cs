namespace LlmOps.Core.Evaluation;

/// <summary>Two models compared on one task's per-item scores by the paired bootstrap.</summary>
/// <param name="Task">The task.</param>
/// <param name="Metric">The per-item metric compared.</param>
/// <param name="ModelA">The first model (the difference is A minus B).</param>
/// <param name="ModelB">The second model.</param>
/// <param name="Result">The bootstrap's difference, interval and p-value.</param>
public sealed record LeaderboardComparison(string Task, string Metric, string ModelA, string ModelB, BootstrapComparison Result);
