namespace LlmOps.Core.Datasets;

/// <summary>Where a fetch is, shown through the display hook and updated in place.</summary>
/// <param name="Dataset">The dataset's name.</param>
/// <param name="Stage">downloading, verifying, unpacking or done.</param>
/// <param name="Done">Units of work done in this stage (files unpacked).</param>
/// <param name="Total">Units in this stage, 0 when unknown.</param>
public sealed record DatasetFetchProgress(string Dataset, string Stage, int Done = 0, int Total = 0)
{
    /// <inheritdoc />
    public override string ToString() => Total > 0 ? $"{Dataset}: {Stage} {Done}/{Total}" : $"{Dataset}: {Stage}";
}
