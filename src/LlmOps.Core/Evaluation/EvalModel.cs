using LlmOps.Core.Chat;
using LlmOps.Core.Modeling;
using LlmOps.Core.Tokenization;
using Microsoft.Extensions.AI;

namespace LlmOps.Core.Evaluation;

/// <summary>What a suite is run against: a log-likelihood scorer for multiple_choice and loglikelihood_rolling (local
/// models only), a chat client for generate_until (local or remote). A task whose kind needs what is absent fails
/// with a message saying so. Disposing frees only a chat client that <see cref="Local"/> or <see cref="Endpoint"/>
/// made; clients passed in stay the caller's.</summary>
/// <param name="Scorer">Scores log-likelihoods, or null.</param>
/// <param name="Chat">Generates, or null.</param>
public sealed record EvalModel(LoglikelihoodScorer? Scorer, IChatClient? Chat) : IDisposable
{
    bool ownsChat;

    /// <summary>Names the model in the per-item cache (the per-item cache): answers cached under one identity are
    /// served to any model with the same one, so it must change when the weights do. Null: not cached.</summary>
    public string? Identity { get; init; }

    /// <summary>What the model is, for messages (a local checkpoint, an endpoint's URL and model).</summary>
    public string Description { get; init; } = "the model";

    /// <summary>Both sides for a local model: a <see cref="LoglikelihoodScorer"/> and a <see cref="LocalChatClient"/>
    /// over the same weights (the model stays the caller's).</summary>
    /// <param name="model">The model.</param>
    /// <param name="tokenizer">Its tokenizer.</param>
    /// <param name="batchSize">Log-likelihood requests per forward pass.</param>
    /// <param name="template">How prompts reach the model when generating: the tokenizer's chat template by default;
    /// <see cref="ChatTemplate.Completion"/> sends the prompt as plain text, as the harness does for a base model.</param>
    /// <param name="identity">The cache identity (<see cref="Identity"/>), e.g. the checkpoint's content hash; null: not cached.</param>
    public static EvalModel Local(Gpt model, LlmTokenizer tokenizer, int batchSize = 16, ChatTemplate? template = null, string? identity = null) =>
        new(new LoglikelihoodScorer(model, tokenizer, batchSize), new LocalChatClient(model, tokenizer, template))
        {
            ownsChat = true,
            Description = "the local model",
            Identity = identity,
        };

    /// <summary>A remote model behind an OpenAI-compatible endpoint: generation only, since a chat API returns text,
    /// not the logits that log-likelihood tasks score.</summary>
    /// <param name="endpoint">The endpoint (its client retries and times out as it says).</param>
    public static EvalModel Endpoint(EvalEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return new(null, endpoint.CreateChatClient()) { ownsChat = true, Identity = endpoint.Identity, Description = $"endpoint {endpoint.Identity}" };
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (ownsChat)
            Chat?.Dispose();
        ownsChat = false;
    }
}
