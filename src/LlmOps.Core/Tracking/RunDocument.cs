namespace LlmOps.Core.Tracking;

/// <summary>A text document a run produced, kept inside the store (an evaluation's results JSON), so the store alone
/// can rebuild what was shown.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Name">Its role (one document per name and run).</param>
/// <param name="Content">The text.</param>
public sealed record RunDocument(string RunId, string Name, string Content);
