namespace LlmOps.Core.Tracking;

/// <summary>Where a tracked run stands. A run whose process died stays <see cref="Running"/>: the store cannot tell a
/// crash from a run still going, so the list shows its last metric time next to the status.</summary>
public enum RunStatus
{
    /// <summary>Started and not finished.</summary>
    Running,
    /// <summary>Ended normally.</summary>
    Finished,
    /// <summary>Ended with an error.</summary>
    Failed,
    /// <summary>Stopped on request; its last checkpoint can resume it.</summary>
    Cancelled,
}
