namespace LlmOps.Core.Evaluation;

/// <summary>One task of a suite: what to ask (data and prompt template), how (kind, few-shot, generation) and how
/// to score (metrics); lm-evaluation-harness's task YAML, reduced to what the three kinds need.</summary>
/// <param name="Name">The task's name in results.</param>
/// <param name="Kind">How the model is asked.</param>
/// <param name="Data">The JSONL file of items (relative to the suite file when loaded from one).</param>
/// <param name="Prompt">The prompt template; <c>{field}</c> is the item's field (the harness's <c>doc_to_text</c>).
/// For loglikelihood_rolling it renders the document.</param>
/// <param name="Target">The expected answer's template for generate_until (<c>doc_to_target</c>); multiple_choice
/// reads the choices and gold index from the item's <c>choices</c> and <c>answer</c> fields.</param>
/// <param name="FewShot">Worked examples put before each prompt (k), drawn from the same data, never the item itself.</param>
/// <param name="Seed">Seeds the few-shot draw (the harness's default 1234).</param>
/// <param name="Metrics">What to compute; each must belong to <paramref name="Kind"/>.</param>
/// <param name="Generation">Token limit and stop strings for generate_until.</param>
/// <param name="AnswerPattern">The regular expression the <c>regex</c> metric extracts the answer with.</param>
/// <param name="Judge">The rubric (and optionally the judge model) of the <c>judge</c> metric.</param>
public sealed record EvalTask(
    string Name,
    EvalTaskKind Kind,
    string Data,
    string Prompt,
    IReadOnlyList<EvalMetric> Metrics,
    string? Target = null,
    int FewShot = 0,
    int Seed = 1234,
    EvalGeneration? Generation = null,
    string? AnswerPattern = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] EvalJudge? Judge = null)
{
    /// <summary>Between a few-shot example's prompt and its answer (the harness's <c>target_delimiter</c>).</summary>
    public const string TargetDelimiter = " ";

    /// <summary>Between few-shot examples and the prompt (the harness's <c>fewshot_delimiter</c>).</summary>
    public const string FewShotDelimiter = "\n\n";

    /// <summary>The target template, with its default (<c>{answer}</c>).</summary>
    public string TargetTemplate => Target ?? "{answer}";
}
