namespace LlmOps.Core.Tracking;

/// <summary>One run as the run list shows it.</summary>
/// <param name="Id">Run id.</param>
/// <param name="Name">Human name.</param>
/// <param name="Kind">What kind of work (pretrain, finetune, eval, ...).</param>
/// <param name="Status">Where it stands.</param>
/// <param name="Started">Start time (UTC).</param>
/// <param name="Ended">End time, when it ended.</param>
/// <param name="GitCommit">The commit of the code that ran, when known.</param>
/// <param name="DataManifest">The id of the data manifest it trained or evaluated on, when known.</param>
/// <param name="LastMetrics">The latest value of each metric.</param>
/// <param name="ParentRun">The run whose output this one used (an evaluation's model's training run), when recorded.</param>
public sealed record RunSummary(
    string Id, string Name, string Kind, RunStatus Status, DateTimeOffset Started, DateTimeOffset? Ended,
    string? GitCommit, string? DataManifest, IReadOnlyDictionary<string, double> LastMetrics, string? ParentRun = null);
