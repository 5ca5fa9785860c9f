namespace LlmOps.Core.Data.Mixing;

/// <summary>A mixed corpus and how each source contributed.</summary>
/// <param name="Documents">The mixed documents, shuffled deterministically.</param>
/// <param name="Components">One row per source, in the order the weights were given.</param>
public sealed record DataMix(IReadOnlyList<Document> Documents, IReadOnlyList<MixComponent> Components);
