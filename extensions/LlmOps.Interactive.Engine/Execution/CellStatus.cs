namespace LlmOps.Interactive.Engine.Execution;

/// <summary>How a cell's run ended.</summary>
public enum CellStatus
{
    /// <summary>Ran to the end.</summary>
    Ok,
    /// <summary>A compile error, an exception, or a bad magic command.</summary>
    Error,
    /// <summary>Cancelled from outside.</summary>
    Cancelled,
    /// <summary>Ran past the per-cell timeout.</summary>
    TimedOut,
}
