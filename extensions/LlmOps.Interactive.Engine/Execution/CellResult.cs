using LlmOps.Interactive.Documents;

namespace LlmOps.Interactive.Engine.Execution;

/// <summary>What running one cell produced.</summary>
/// <param name="Outputs">Outputs in order, live updates already collapsed to their final state.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Duration">Wall time.</param>
/// <param name="ExecutionCount">The cell's execution count in its session.</param>
/// <param name="Error">A one-line summary of the error, when there was one.</param>
public sealed record CellResult(IReadOnlyList<CellOutput> Outputs, CellStatus Status, TimeSpan Duration, int ExecutionCount, string? Error);
