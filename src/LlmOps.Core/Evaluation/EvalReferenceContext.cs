using Microsoft.Extensions.AI.Evaluation;

namespace LlmOps.Core.Evaluation;

/// <summary>The expected answer, passed to <see cref="MetricEvaluator"/> and <see cref="RubricJudgeEvaluator"/> as
/// Microsoft.Extensions.AI.Evaluation's additional context (as its NLP evaluators take their references).</summary>
public sealed class EvalReferenceContext : EvaluationContext
{
    /// <summary>The context's name in results.</summary>
    public const string ContextName = "Reference answer (LlmOps)";

    /// <summary>A reference of <paramref name="reference"/>.</summary>
    public EvalReferenceContext(string reference) : base(ContextName, reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        Reference = reference;
    }

    /// <summary>The expected answer.</summary>
    public string Reference { get; }

    /// <summary>The reference among <paramref name="contexts"/>, or null.</summary>
    internal static string? Find(IEnumerable<EvaluationContext>? contexts) => contexts?.OfType<EvalReferenceContext>().FirstOrDefault()?.Reference;
}
