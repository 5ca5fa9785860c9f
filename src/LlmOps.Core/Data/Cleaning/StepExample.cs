namespace LlmOps.Core.Data.Cleaning;

/// <summary>One document a step removed or rewrote, cut to the region around the first change so a before/after view
/// shows what the rule did.</summary>
/// <param name="Rule">The rule that removed it, or <c>changed</c> for a rewrite.</param>
/// <param name="Id">The document's id.</param>
/// <param name="Detail">The step's reason with measured values; empty for rewrites.</param>
/// <param name="Before">The text before the step (a window of it).</param>
/// <param name="After">The text after the step (the same window), or null when the document was removed.</param>
public sealed record StepExample(string Rule, string Id, string Detail, string Before, string? After);
