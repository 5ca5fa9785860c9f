namespace LlmOps.Core.FineTuning.Instructions;

/// <summary>Which part of a generated set an example belongs to.</summary>
public enum InstructionSplit
{
    /// <summary>Trained on.</summary>
    Train,

    /// <summary>The trainer's validation loss (early stopping): like the training data, never trained on.</summary>
    Validation,

    /// <summary>Held out to measure generalisation: skills on inputs never trained on, facts in phrasings never trained on.</summary>
    Test,
}
