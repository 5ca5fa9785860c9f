using LlmOps.Core.Chat;
using LlmOps.Core.Modeling;
using LlmOps.Core.Tokenization;
using Microsoft.Extensions.AI;

namespace LlmOps.Core.Evaluation;

/// <summary>What a suite is run against: a log-likelihood scorer for multiple_choice and loglikelihood_rolling (local
/// models only), a chat client for generate_until (local or remote). A task whose kind needs what is absent fails
/// with a message saying so. Disposing frees only a chat client that <see cref="Local"/> made; clients passed in stay
/// the caller's.</summary>
/// <param name="Scorer">Scores log-likelihoods, or null.</param>
/// <param name="Chat">Generates, or null.</param>
public sealed record EvalModel(LoglikelihoodScorer? Scorer, IChatClient? Chat) : IDisposable
{
    bool ownsChat;

    /// <summary>Both sides for a local model: a <see cref="LoglikelihoodScorer"/> and a <see cref="LocalChatClient"/>
    /// over the same weights (the model stays the caller's).</summary>
    /// <param name="model">The model.</param>
    /// <param name="tokenizer">Its tokenizer.</param>
    /// <param name="batchSize">Log-likelihood requests per forward pass.</param>
    /// <param name="template">How prompts reach the model when generating: the tokenizer's chat template by default;
    /// <see cref="ChatTemplate.Completion"/> sends the prompt as plain text, as the harness does for a base model.</param>
    public static EvalModel Local(Gpt model, LlmTokenizer tokenizer, int batchSize = 16, ChatTemplate? template = null) =>
        new(new LoglikelihoodScorer(model, tokenizer, batchSize), new LocalChatClient(model, tokenizer, template)) { ownsChat = true };

    /// <inheritdoc/>
    public void Dispose()
    {
        if (ownsChat)
            Chat?.Dispose();
        ownsChat = false;
    }
}
