using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace LlmOps.Core.Modeling;

/// <summary>
/// Hugging Face peft's trainable tokens (<c>trainable_token_indices</c>): a few rows of the token embedding train while
/// the rest stays frozen. The rows' values live in <c>trainable_tokens_delta</c> [count, width] (peft's name; it holds
/// the rows themselves, starting as the base's) and replace the base's rows in every forward pass, in the input
/// embedding and, with tied embeddings, in the output head alike.
/// </summary>
/// <remarks>Why a parameter-efficient run needs it: tokens added for a chat template get embedding rows the base never
/// trained, and with the embeddings frozen the model can neither tell them apart as inputs nor put probability on the
/// end-of-turn token as an output. Training just those rows costs count × width parameters.</remarks>
public sealed class TrainableTokens : nn.Module
{
    [ComponentName(Name = "token_indices")] readonly Tensor indices;
    [ComponentName(Name = "trainable_tokens_delta")] readonly Parameter rows;

    /// <summary>Takes the rows <paramref name="tokenIds"/> of <paramref name="embedding"/> ([vocabulary, width]) as
    /// the starting values.</summary>
    /// <exception cref="ArgumentException">No ids, a repeated id, or an id outside the vocabulary.</exception>
    public TrainableTokens(Tensor embedding, IReadOnlyList<int> tokenIds) : base(nameof(TrainableTokens))
    {
        ArgumentNullException.ThrowIfNull(embedding);
        ArgumentNullException.ThrowIfNull(tokenIds);
        if (tokenIds.Count == 0)
            throw new ArgumentException("Trainable tokens need at least one token id.", nameof(tokenIds));
        if (tokenIds.Distinct().Count() != tokenIds.Count)
            throw new ArgumentException($"Trainable token ids repeat: {string.Join(", ", tokenIds)}.", nameof(tokenIds));
        long vocabulary = embedding.shape[0];
        if (tokenIds.FirstOrDefault(id => id < 0 || id >= vocabulary, -1) is var bad and >= 0)
            throw new ArgumentException($"Trainable token id {bad} is outside the vocabulary of {vocabulary}.", nameof(tokenIds));
        TokenIds = [.. tokenIds];
        indices = tensor(TokenIds.Select(id => (long)id).ToArray(), device: embedding.device);
        using (no_grad())
            rows = new Parameter(embedding.index_select(0, indices).clone().detach());
        RegisterComponents();
    }

    /// <summary>The token ids whose rows train, in order.</summary>
    public IReadOnlyList<int> TokenIds { get; }

    /// <summary>The trained rows [count, width].</summary>
    public Parameter Rows => rows;

    /// <summary><paramref name="embedding"/> with the trained rows in place of the base's (a new tensor; the base's
    /// weight is not touched, so removing the tokens restores the base exactly).</summary>
    public Tensor Apply(Tensor embedding) => embedding.index_copy(0, indices, rows);
}
