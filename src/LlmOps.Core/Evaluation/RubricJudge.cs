using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace LlmOps.Core.Evaluation;

/// <summary>LLM-as-judge rubric grading (the model-graded evals of OpenAI evals and promptfoo's llm-rubric): the judge,
/// any <see cref="IChatClient"/>, sees the rubric, the question, the reference when there is one and the answer, and
/// gives a 1-5 score with reasons. Its answer is read robustly: a JSON object (<c>{"score": 4, "reasons": "..."}</c>,
/// also inside a code fence or prose), else a <c>Score: N</c> line; anything else is an error that keeps the raw text,
/// never a guessed score.</summary>
public sealed partial class RubricJudge
{
    /// <summary>The lowest score.</summary>
    public const int MinScore = 1;

    /// <summary>The highest score.</summary>
    public const int MaxScore = 5;

    readonly IChatClient judge;

    /// <summary>A judge grading by <paramref name="rubric"/>.</summary>
    /// <param name="judge">The judge model (stays the caller's).</param>
    /// <param name="rubric">What a good answer is, in words (what earns a 5, what a 1).</param>
    public RubricJudge(IChatClient judge, string rubric)
    {
        ArgumentNullException.ThrowIfNull(judge);
        ArgumentException.ThrowIfNullOrWhiteSpace(rubric);
        this.judge = judge;
        Rubric = rubric;
    }

    /// <summary>The rubric.</summary>
    public string Rubric { get; }

    /// <summary>The messages the judge is sent (the cache keys on them).</summary>
    public IReadOnlyList<ChatMessage> Prompt(string question, string answer, string? reference = null)
    {
        string system = $"You are an impartial judge. Grade the answer to the question on a scale of {MinScore} (worst) to {MaxScore} (best) "
            + $"by this rubric:\n{Rubric}\n\nReply with a JSON object only: {{\"score\": <{MinScore}-{MaxScore}>, \"reasons\": \"<one or two sentences>\"}}.";
        string user = $"Question:\n{question}\n\n"
            + (string.IsNullOrEmpty(reference) ? "" : $"Reference answer:\n{reference}\n\n")
            + $"Answer to grade:\n{answer}";
        return [new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, user)];
    }

    /// <summary>Asks the judge (greedily) and reads its grade. An endpoint that kept failing gives a grade with an error.</summary>
    public async Task<JudgeGrade> GradeAsync(string question, string answer, string? reference = null, CancellationToken cancellationToken = default)
    {
        string raw;
        try
        {
            raw = (await judge.GetResponseAsync(Prompt(question, answer, reference), Options, cancellationToken).ConfigureAwait(false)).Text;
        }
        catch (EndpointFailedException e)
        {
            return new JudgeGrade(null, "", "", $"judge: {e.Message}");
        }
        return Parse(raw);
    }

    /// <summary>Greedy, so a judge that allows it grades the same answer the same way twice.</summary>
    internal static ChatOptions Options => new() { Temperature = 0 };

    /// <summary>Reads a grade from the judge's answer: a JSON object with a score (<c>score</c>, <c>rating</c> or
    /// <c>grade</c>) and reasons (<c>reasons</c>, <c>reason</c>, <c>explanation</c> or <c>rationale</c>), else a
    /// <c>Score: N</c> line (reasons: a <c>Reasons:</c> line, else the rest of the text).</summary>
    public static JudgeGrade Parse(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (JudgeJson.Object(raw) is { } json)
        {
            var score = JudgeJson.Property(json, "score", "rating", "grade");
            string reasons = JudgeJson.Text(JudgeJson.Property(json, "reasons", "reason", "explanation", "rationale")) ?? "";
            if (score is { } value)
                return Checked(value.ValueKind switch
                {
                    JsonValueKind.Number when value.TryGetDouble(out double number) => number,
                    JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double number) => number,
                    _ => double.NaN,
                }, reasons, raw);
        }
        if (ScoreLine().Match(raw) is { Success: true } line)
        {
            var reasonsLine = ReasonsLine().Match(raw);
            string reasons = reasonsLine.Success ? reasonsLine.Groups[1].Value.Trim() : raw.Remove(line.Index, line.Length).Trim();
            return Checked(double.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture), reasons, raw);
        }
        return new JudgeGrade(null, "", raw, $"judge: no {MinScore}-{MaxScore} score in its answer: {Excerpt(raw)}");
    }

    static JudgeGrade Checked(double score, string reasons, string raw) =>
        score is >= MinScore and <= MaxScore && score == Math.Floor(score)
            ? new JudgeGrade((int)score, reasons, raw)
            : new JudgeGrade(null, reasons, raw, $"judge: score {score.ToString(CultureInfo.InvariantCulture)} is not a whole number from {MinScore} to {MaxScore}: {Excerpt(raw)}");

    internal static string Excerpt(string raw) => raw.Length <= 200 ? raw : raw[..200] + "…";

    [GeneratedRegex(@"(?im)^\W*(?:score|rating|grade)\W*[:=]?\s*\**\s*(\d+(?:\.\d+)?)(?:\s*/\s*\d+)?\**")]
    private static partial Regex ScoreLine();

    [GeneratedRegex(@"(?im)^\W*(?:reasons?|explanation|rationale)\W*[:=]\s*(.+)$")]
    private static partial Regex ReasonsLine();
}
