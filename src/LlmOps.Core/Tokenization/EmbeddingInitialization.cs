namespace LlmOps.Core.Tokenization;

/// <summary>How the model layer should fill the embedding rows of tokens added to a trained vocabulary.</summary>
public enum EmbeddingInitialization
{
    /// <summary>Each new row (input embedding and, if untied, output head) is the mean of the existing rows: the
    /// common practice, which keeps the new tokens' initial logits average instead of random and so does not disturb
    /// what the model already predicts (Hewitt, "Initializing New Word Embeddings for Pretrained Language Models", 2021).</summary>
    MeanOfExistingRows = 0,

    /// <summary>Each new row is the mean of the rows of the pieces the old tokenizer split the token into
    /// (<see cref="EmbeddingResize.OldPieces"/>), so the token starts out meaning what its text meant before.</summary>
    MeanOfPieces,
}
