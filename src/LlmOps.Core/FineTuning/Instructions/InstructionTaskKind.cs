namespace LlmOps.Core.FineTuning.Instructions;

/// <summary>What a generated task tests, which decides how its examples are split.</summary>
public enum InstructionTaskKind
{
    /// <summary>The answer follows from the input (reverse a word, add two numbers): held out by input.</summary>
    Skill,

    /// <summary>The answer is a fact from a dataset (a capital, a symbol): held out by phrasing.</summary>
    Fact,
}
