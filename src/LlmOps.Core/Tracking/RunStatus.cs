namespace LlmOps.Core.Tracking;

/// <summary>Where a tracked run stands.</summary>
public enum RunStatus
{
    /// <summary>Started and not finished, and its process is alive (or, on another host, sent a heartbeat lately).</summary>
    Running,
    /// <summary>Ended normally.</summary>
    Finished,
    /// <summary>Ended with an error.</summary>
    Failed,
    /// <summary>Stopped on request; its last checkpoint can resume it.</summary>
    Cancelled,
    /// <summary>Its process died without finishing it (killed, crashed, power lost), found by
    /// <see cref="RunStore.MarkDeadRuns"/>; a training run resumes from its last checkpoint into the same record.</summary>
    Killed,
}
