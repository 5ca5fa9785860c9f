using LlmOps.Core.Chat;
using LlmOps.Core.Modeling;
using LlmOps.Core.Tokenization;
using Microsoft.Extensions.AI;

namespace LlmOps.Core.Evaluation;

/// <summary>What a suite is run against: a log-likelihood scorer for multiple_choice and loglikelihood_rolling (local
/// models only), a chat client for generate_until (local or remote). A task whose kind needs what is absent fails
/// with a message saying so.</summary>
/// <param name="Scorer">Scores log-likelihoods, or null.</param>
/// <param name="Chat">Generates, or null.</param>
public sealed record EvalModel(LoglikelihoodScorer? Scorer, IChatClient? Chat)
{
    /// <summary>Both sides for a local model: a <see cref="LoglikelihoodScorer"/> and a <see cref="LocalChatClient"/>
    /// over the same weights.</summary>
    public static EvalModel Local(Gpt model, LlmTokenizer tokenizer, int batchSize = 16, ChatTemplate? template = null) =>
        new(new LoglikelihoodScorer(model, tokenizer, batchSize), new LocalChatClient(model, tokenizer, template));
}
