namespace LlmOps.Core.FineTuning.Instructions;

/// <summary>One generated task: its phrasings and how it draws items. A skill draws (key, input, output) from a
/// generator; a fact lists (subject, output) pairs and puts the subject into the phrasing's <c>{0}</c>.</summary>
sealed record InstructionTask(
    string Name,
    InstructionTaskKind Kind,
    IReadOnlyList<string> Phrasings,
    Func<Random, (string Key, string Input, string Output, string? Slot)>? Draw = null,
    IReadOnlyList<(string Subject, string Output)>? Facts = null);
