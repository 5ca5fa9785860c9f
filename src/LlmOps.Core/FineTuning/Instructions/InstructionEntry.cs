namespace LlmOps.Core.FineTuning.Instructions;

/// <summary>A generated example with where it went and why.</summary>
/// <param name="Example">The example.</param>
/// <param name="Split">The split it belongs to.</param>
/// <param name="Kind">Whether its task is a skill or a fact.</param>
/// <param name="Key">What must not leak between splits: a skill's input, a fact's subject.</param>
/// <param name="Phrasing">Which of the task's phrasings the instruction uses (0-based).</param>
public sealed record InstructionEntry(InstructionExample Example, InstructionSplit Split, InstructionTaskKind Kind, string Key, int Phrasing);
