namespace LlmOps.Core.FineTuning;

/// <summary>One scored example.</summary>
/// <param name="Task">Its task.</param>
/// <param name="Prompt">What the user asked.</param>
/// <param name="Expected">The expected answer.</param>
/// <param name="Answer">The model's answer.</param>
/// <param name="Correct">Whether they are equal (surrounding white space ignored).</param>
public sealed record ExactMatchRow(string Task, string Prompt, string Expected, string Answer, bool Correct);
