namespace LlmOps.Core.Data;

/// <summary>What a reader does with a record it cannot read.</summary>
public enum BadRecordPolicy
{
    /// <summary>Stop with an error naming the file, line and field (the default: nothing is skipped silently).</summary>
    Fail,
    /// <summary>Write the record to the rejects file with the reason, and go on.</summary>
    Reject,
}
