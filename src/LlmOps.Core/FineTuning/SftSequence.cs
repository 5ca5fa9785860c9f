using LlmOps.Core.Chat;
using LlmOps.Core.FineTuning.Instructions;
using LlmOps.Core.Tokenization;

namespace LlmOps.Core.FineTuning;

/// <summary>
/// One example as the model trains on it: the conversation's ids through the chat template, and how many of them are
/// prompt. Only the answer (and the template's end-of-turn marker after it) is a target: the prompt is context, so a
/// model is taught to answer, not to write questions (trl's completion-only loss).
/// </summary>
/// <param name="Ids">The whole conversation's ids: prompt, answer, end of turn.</param>
/// <param name="PromptLength">How many leading ids are the prompt (up to and including the assistant's turn start).</param>
public sealed record SftSequence(int[] Ids, int PromptLength)
{
    /// <summary>Encodes <paramref name="example"/> with <paramref name="template"/>: the prompt exactly as
    /// <see cref="LocalChatClient"/> will send it at inference, then the answer as plain text, then the turn's end.</summary>
    public static SftSequence Encode(InstructionExample example, LlmTokenizer tokenizer, ChatTemplate template)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(template);
        int[] prompt = template.Encode(example.PromptMessages(), tokenizer, addGenerationPrefix: true);
        int[] full = template.Encode(example.ToMessages(), tokenizer, addGenerationPrefix: false);
        // The template encodes piece by piece, so the prompt is a prefix of the whole conversation: checked, because
        // a shifted boundary would silently train on prompt tokens.
        if (full.Length <= prompt.Length || !full.AsSpan(0, prompt.Length).SequenceEqual(prompt))
            throw new InvalidOperationException($"The {template.Name} template's prompt is not a prefix of the whole conversation; cannot mark the answer tokens.");
        return new SftSequence(full, prompt.Length);
    }

    /// <summary>Model inputs (every id but the last).</summary>
    public long[] Inputs() => [.. Ids[..^1].Select(i => (long)i)];

    /// <summary>Next-token targets, with -1 (ignored by <see cref="Modeling.Gpt.CrossEntropy"/>) wherever the next id is
    /// still prompt.</summary>
    public long[] Targets()
    {
        var targets = new long[Ids.Length - 1];
        for (int i = 0; i < targets.Length; i++)
            targets[i] = i + 1 >= PromptLength ? Ids[i + 1] : -1;
        return targets;
    }
}
