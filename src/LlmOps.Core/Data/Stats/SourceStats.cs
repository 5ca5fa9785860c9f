namespace LlmOps.Core.Data.Stats;

/// <summary>One source's share of a corpus.</summary>
/// <param name="Source">The source name.</param>
/// <param name="Documents">Documents from it.</param>
/// <param name="Characters">Characters from it.</param>
/// <param name="Words">Words from it.</param>
/// <param name="CharacterShare">Its share of the corpus' characters.</param>
public sealed record SourceStats(string Source, long Documents, long Characters, long Words, double CharacterShare);
