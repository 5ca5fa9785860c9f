namespace LlmOps.Core.Data.Stats;

/// <summary>A word or word n-gram and how often it occurs.</summary>
/// <param name="Text">The n-gram, words joined by spaces.</param>
/// <param name="Count">Occurrences.</param>
public sealed record NgramCount(string Text, long Count);
