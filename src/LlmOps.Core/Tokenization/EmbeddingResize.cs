using System.Globalization;

namespace LlmOps.Core.Tokenization;

/// <summary>
/// What the model layer must do after a vocabulary grew: append <c>NewVocabSize - OldVocabSize</c> embedding rows
/// (and output-head rows when the head is not tied), one per new token, in id order. Existing ids never move, so
/// existing rows stay valid.
/// </summary>
/// <param name="OldVocabSize">Rows the embedding has now.</param>
/// <param name="NewVocabSize">Rows it needs.</param>
/// <param name="NewTokens">The new tokens; their ids run from <paramref name="OldVocabSize"/> up, without gaps.</param>
/// <param name="OldPieces">For each new token, the ids the old tokenizer encoded its text to (plain text).</param>
/// <param name="Initialization">The recommended initialisation of the new rows.</param>
public sealed record EmbeddingResize(
    int OldVocabSize,
    int NewVocabSize,
    IReadOnlyList<VocabularyToken> NewTokens,
    IReadOnlyList<int[]> OldPieces,
    EmbeddingInitialization Initialization = EmbeddingInitialization.MeanOfExistingRows)
{
    /// <summary>The instruction in one sentence, for logs and notebooks.</summary>
    public string Note => string.Create(CultureInfo.InvariantCulture,
        $"Resize the token embedding (and an untied output head) from {OldVocabSize} to {NewVocabSize} rows; initialise rows {OldVocabSize}..{NewVocabSize - 1} ")
        + (Initialization == EmbeddingInitialization.MeanOfExistingRows
            ? "to the mean of the existing rows."
            : "to the mean of each token's old pieces' rows.");
}
