namespace LlmOps.Core.Evaluation;

/// <summary>The metrics a task may ask for, named as in suite files (snake case). Which kind each applies to:
/// <see cref="EvalMetrics.For"/>.</summary>
public enum EvalMetric
{
    /// <summary><see cref="Evaluation.ExactMatch"/> (generate_until).</summary>
    ExactMatch,

    /// <summary>The expected text occurs in the output: <see cref="Evaluation.ExactMatch.Contains"/> (generate_until).</summary>
    Contains,

    /// <summary><see cref="RegexMatch"/> with the task's answer pattern (generate_until).</summary>
    Regex,

    /// <summary><see cref="Evaluation.TokenF1"/> (generate_until).</summary>
    TokenF1,

    /// <summary>Corpus <see cref="Evaluation.Bleu"/>, 0-100 (generate_until).</summary>
    Bleu,

    /// <summary>Mean <see cref="Evaluation.RougeL"/> F (generate_until).</summary>
    RougeL,

    /// <summary>Mean 1-5 grade of a <see cref="RubricJudge"/> with the task's rubric (generate_until).</summary>
    Judge,

    /// <summary><see cref="MultipleChoiceAccuracy.Pick"/> (multiple_choice).</summary>
    Acc,

    /// <summary><see cref="MultipleChoiceAccuracy.PickNormalized"/> (multiple_choice).</summary>
    AccNorm,

    /// <summary><see cref="Evaluation.Perplexity.TokenPerplexity"/> (loglikelihood_rolling).</summary>
    Perplexity,

    /// <summary><see cref="Evaluation.Perplexity.WordPerplexity"/> (loglikelihood_rolling).</summary>
    WordPerplexity,

    /// <summary><see cref="Evaluation.Perplexity.BytePerplexity"/> (loglikelihood_rolling).</summary>
    BytePerplexity,

    /// <summary><see cref="Evaluation.Perplexity.BitsPerByte"/> (loglikelihood_rolling).</summary>
    BitsPerByte,
}
