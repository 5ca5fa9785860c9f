using System.Text.Json.Serialization;

namespace LlmOps.Core.Tokenization;

/// <summary>
/// The <c>tokenizer.json</c> of a tokenizer folder: everything <c>ranks.tiktoken</c> cannot say (the pattern, the
/// special tokens and their ids, which tokens were added after training, which data it was trained on), so the folder
/// alone rebuilds the exact encoder.
/// </summary>
/// <param name="Format">Always <see cref="FormatName"/>; a reader refuses other files.</param>
/// <param name="Version">Format version (<see cref="CurrentVersion"/>).</param>
/// <param name="Name">The tokenizer's name.</param>
/// <param name="Pattern">Pre-tokenization regex (.NET syntax, compiled culture-invariant).</param>
/// <param name="VocabSize">Size of the id space: ranks + special tokens + added tokens.</param>
/// <param name="Ranks">Trained ranks: the first lines of <c>ranks.tiktoken</c>, ids <c>0..Ranks-1</c>.</param>
/// <param name="Merges">Merges training applied.</param>
/// <param name="SpecialTokens">Special tokens with their ids (not in <c>ranks.tiktoken</c>).</param>
/// <param name="AddedTokens">Domain tokens added after training, with their ids; also the last lines of
/// <c>ranks.tiktoken</c>.</param>
/// <param name="TrainedOn">The data manifest id of the training corpus, when known.</param>
public sealed record TokenizerSpec(
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("pattern")] string Pattern,
    [property: JsonPropertyName("vocab_size")] int VocabSize,
    [property: JsonPropertyName("ranks")] int Ranks,
    [property: JsonPropertyName("merges")] int Merges,
    [property: JsonPropertyName("special_tokens")] IReadOnlyList<VocabularyToken> SpecialTokens,
    [property: JsonPropertyName("added_tokens")] IReadOnlyList<VocabularyToken> AddedTokens,
    [property: JsonPropertyName("trained_on")] string? TrainedOn)
{
    /// <summary>The format name written into every <c>tokenizer.json</c>.</summary>
    public const string FormatName = "llmops-tiktoken-bpe";

    /// <summary>The format version this code writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The spec describing <paramref name="model"/>.</summary>
    public static TokenizerSpec Of(BpeTokenizerModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new(FormatName, CurrentVersion, model.Name, model.Pattern, model.VocabSize, model.Ranks.Count, model.MergeCount,
            model.SpecialTokens, model.AddedTokens, model.TrainedOn);
    }
}
