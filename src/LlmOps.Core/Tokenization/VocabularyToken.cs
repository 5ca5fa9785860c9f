using System.Text.Json.Serialization;

namespace LlmOps.Core.Tokenization;

/// <summary>A token that sits outside the trained ranks (a special token, or a domain token added after training),
/// named by its text because that is how people refer to it, with the id a model's embedding row is keyed by.</summary>
/// <param name="Text">The token's text.</param>
/// <param name="Id">Its id in the tokenizer's one id space.</param>
public sealed record VocabularyToken(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("id")] int Id);
