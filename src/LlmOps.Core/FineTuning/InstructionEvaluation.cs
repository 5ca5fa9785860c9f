using LlmOps.Core.Evaluation;
using LlmOps.Core.FineTuning.Instructions;
using Microsoft.Extensions.AI;

namespace LlmOps.Core.FineTuning;

/// <summary>Held-out exact match: ask a chat client each example's prompt, greedily, and compare its answer with the
/// expected one by <see cref="ExactMatch"/> (surrounding white space ignored). Works for any <see cref="IChatClient"/>, local or remote.</summary>
public static class InstructionEvaluation
{
    /// <summary>Scores <paramref name="client"/> on <paramref name="examples"/>.</summary>
    /// <param name="client">The model to ask.</param>
    /// <param name="examples">Examples with their expected answers.</param>
    /// <param name="maxOutputTokens">The longest answer to wait for.</param>
    /// <param name="cancellationToken">Stops between examples.</param>
    public static async Task<ExactMatchReport> ExactMatchAsync(IChatClient client, IReadOnlyList<InstructionExample> examples, int maxOutputTokens = 32,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(examples);
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = maxOutputTokens };
        var rows = new List<ExactMatchRow>(examples.Count);
        foreach (var example in examples)
        {
            var response = await client.GetResponseAsync(example.PromptMessages(), options, cancellationToken).ConfigureAwait(false);
            string answer = ExactMatch.Normalize(response.Text);
            rows.Add(new ExactMatchRow(example.Task ?? "", example.UserText, example.Output, answer, ExactMatch.Matches(answer, example.Output)));
        }
        return new ExactMatchReport(rows);
    }
}
