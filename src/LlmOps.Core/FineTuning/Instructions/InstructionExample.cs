using Microsoft.Extensions.AI;

namespace LlmOps.Core.FineTuning.Instructions;

/// <summary>
/// One instruction-following example, the Alpaca record (<c>instruction</c>, <c>input</c>, <c>output</c>) with the
/// task it came from; <see cref="ToMessages"/> gives the same example as a chat conversation, so one record serves
/// both file shapes.
/// </summary>
/// <param name="Instruction">What the user asks.</param>
/// <param name="Input">The material the instruction applies to; empty when the instruction says it all.</param>
/// <param name="Output">The answer the model should give.</param>
/// <param name="Task">The generator's task name (<c>reverse</c>, <c>country-capital</c>); null for user data.</param>
/// <param name="System">A system message to put first, or null.</param>
public sealed record InstructionExample(string Instruction, string Input, string Output, string? Task = null, string? System = null)
{
    /// <summary>The user's turn: the instruction, then the input after a blank line when there is one (Alpaca's layout).</summary>
    public string UserText => Input.Length == 0 ? Instruction : Instruction + "\n\n" + Input;

    /// <summary>The conversation without the answer: what a model is prompted with.</summary>
    public IReadOnlyList<ChatMessage> PromptMessages() =>
        System is null ? [new(ChatRole.User, UserText)] : [new(ChatRole.System, System), new(ChatRole.User, UserText)];

    /// <summary>The whole conversation: the prompt, then the answer as the assistant's turn.</summary>
    public IReadOnlyList<ChatMessage> ToMessages() => [.. PromptMessages(), new(ChatRole.Assistant, Output)];
}
