using LlmOps.Interactive.Engine.Execution;

namespace LlmOps.Interactive.Engine.Runner;

/// <summary>One code cell's part in a notebook run.</summary>
/// <param name="Index">Position of the cell in the executed notebook (0-based).</param>
/// <param name="Status">How it ended; null when it was skipped after an earlier failure.</param>
/// <param name="Seconds">Wall time.</param>
/// <param name="Error">One-line error, if any.</param>
public sealed record CellRun(int Index, CellStatus? Status, double Seconds, string? Error);
