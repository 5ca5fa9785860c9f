namespace LlmOps.Core.Evaluation;

/// <summary>How a task asks the model, named as lm-evaluation-harness's <c>output_type</c>.</summary>
public enum EvalTaskKind
{
    /// <summary>Generate text from the prompt until a stop string or the token limit; score the text.</summary>
    GenerateUntil,

    /// <summary>Score each choice's log-likelihood as the prompt's continuation; pick the most likely.</summary>
    MultipleChoice,

    /// <summary>Score the log-likelihood of whole documents in windows of the model's block size (perplexity).</summary>
    LoglikelihoodRolling,
}
