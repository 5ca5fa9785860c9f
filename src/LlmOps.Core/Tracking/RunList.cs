namespace LlmOps.Core.Tracking;

/// <summary>The runs in a store, newest first: what <c>#!runs</c> and <c>llmops runs list</c> show.</summary>
/// <param name="StorePath">The SQLite file.</param>
/// <param name="Runs">The runs.</param>
public sealed record RunList(string StorePath, IReadOnlyList<RunSummary> Runs);
