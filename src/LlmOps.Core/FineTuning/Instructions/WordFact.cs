namespace LlmOps.Core.FineTuning.Instructions;

/// <summary>A WordNet word with the definition of its first synset in the database files.</summary>
/// <param name="Word">The lemma (lower-case letters only).</param>
/// <param name="Definition">The gloss's definition, without its example sentences.</param>
public sealed record WordFact(string Word, string Definition);
