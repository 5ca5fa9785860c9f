namespace LlmOps.Core.Tokenization;

/// <summary>A grown vocabulary and what the model must do about it.</summary>
/// <param name="Model">The new tokenizer (save it as a new folder version; the old one stays valid for old checkpoints).</param>
/// <param name="Resize">The embedding resize the model layer applies.</param>
/// <param name="Skipped">Requested tokens or variants not added, each with its reason (already a token, or a
/// space-prefixed variant the pattern would split).</param>
public sealed record VocabularyExpansionResult(BpeTokenizerModel Model, EmbeddingResize Resize, IReadOnlyList<string> Skipped);
