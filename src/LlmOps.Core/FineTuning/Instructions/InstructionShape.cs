namespace LlmOps.Core.FineTuning.Instructions;

/// <summary>The two common JSONL shapes of instruction data.</summary>
public enum InstructionShape
{
    /// <summary>Stanford Alpaca's records: <c>{"instruction", "input", "output"}</c>.</summary>
    Alpaca,

    /// <summary>Chat records: <c>{"messages": [{"role", "content"}, ...]}</c>, ending with the assistant's answer.</summary>
    Chat,
}
