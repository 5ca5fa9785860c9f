using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace LlmOps.Core.Evaluation;

/// <summary>LLM-as-judge pairwise comparison (MT-Bench and Chatbot Arena's judge, Zheng et al. 2023): the judge, any
/// <see cref="IChatClient"/>, is asked twice, A before B and B before A; when both orders agree that is the verdict,
/// when they disagree it is a tie, which cancels a judge's preference for a position. Verdicts feed
/// <see cref="PairwiseOutcome"/> and <see cref="BradleyTerry"/>.</summary>
public sealed partial class PairwiseJudge
{
    readonly IChatClient judge;

    /// <summary>A judge comparing answers by <paramref name="criteria"/> (helpfulness, correctness ... in words; null:
    /// which answers the question better).</summary>
    public PairwiseJudge(IChatClient judge, string? criteria = null)
    {
        ArgumentNullException.ThrowIfNull(judge);
        this.judge = judge;
        Criteria = string.IsNullOrWhiteSpace(criteria) ? "Which answer answers the question better: correct, complete and to the point." : criteria;
    }

    /// <summary>What the judge compares by.</summary>
    public string Criteria { get; }

    /// <summary>The messages the judge is sent for one order (<paramref name="first"/> shown as A).</summary>
    public IReadOnlyList<ChatMessage> Prompt(string question, string first, string second)
    {
        string system = "You are an impartial judge comparing two answers to the same question. " + Criteria
            + " The order of the answers must not matter. Reply with a JSON object only: {\"winner\": \"A\" | \"B\" | \"tie\", \"reasons\": \"<one sentence>\"}.";
        string user = $"Question:\n{question}\n\nAnswer A:\n{first}\n\nAnswer B:\n{second}";
        return [new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, user)];
    }

    /// <summary>Compares <paramref name="answerA"/> and <paramref name="answerB"/> in both orders.</summary>
    public async Task<PairwiseJudgement> CompareAsync(string question, string answerA, string answerB, CancellationToken cancellationToken = default)
    {
        var raw = new List<string>(2);
        try
        {
            foreach (var (first, second) in new[] { (answerA, answerB), (answerB, answerA) })
                raw.Add((await judge.GetResponseAsync(Prompt(question, first, second), RubricJudge.Options, cancellationToken).ConfigureAwait(false)).Text);
        }
        catch (EndpointFailedException e)
        {
            return new PairwiseJudgement(null, null, null, raw, $"judge: {e.Message}");
        }
        return Combine(raw[0], raw[1]);
    }

    /// <summary>The verdict from the judge's two answers (A-first, then B-first).</summary>
    public static PairwiseJudgement Combine(string aFirstRaw, string bFirstRaw)
    {
        var aFirst = Parse(aFirstRaw);
        // In the second order the judge's "A" is our B.
        var bFirst = Parse(bFirstRaw) switch
        {
            PairwiseWinner.A => PairwiseWinner.B,
            PairwiseWinner.B => PairwiseWinner.A,
            var other => other,
        };
        if (aFirst is null || bFirst is null)
            return new PairwiseJudgement(null, aFirst, bFirst, [aFirstRaw, bFirstRaw],
                $"judge: no verdict (A, B or tie) in its answer: {RubricJudge.Excerpt(aFirst is null ? aFirstRaw : bFirstRaw)}");
        return new PairwiseJudgement(aFirst == bFirst ? aFirst : PairwiseWinner.Tie, aFirst, bFirst, [aFirstRaw, bFirstRaw]);
    }

    /// <summary>Reads one order's verdict, in the order's own labels: a JSON object's <c>winner</c> (or
    /// <c>verdict</c>, <c>choice</c>), MT-Bench's <c>[[A]]</c>/<c>[[B]]</c>/<c>[[C]]</c>, a <c>Winner: A</c> line, or
    /// the bare answer <c>A</c>, <c>B</c> or <c>tie</c>; null when none is there.</summary>
    public static PairwiseWinner? Parse(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        string? label = null;
        if (JudgeJson.Object(raw) is { } json)
            label = JudgeJson.Text(JudgeJson.Property(json, "winner", "verdict", "choice", "better"));
        label ??= Bracketed().Match(raw) is { Success: true } b ? b.Groups[1].Value
            : WinnerLine().Match(raw) is { Success: true } w ? w.Groups[1].Value
            : raw.Trim().TrimEnd('.');
        return label.Trim().Trim('"', '\'', '*', '[', ']', '.').ToUpperInvariant() switch
        {
            "A" or "ANSWER A" => PairwiseWinner.A,
            "B" or "ANSWER B" => PairwiseWinner.B,
            "TIE" or "C" or "DRAW" or "EQUAL" or "NEITHER" or "BOTH" => PairwiseWinner.Tie,
            _ => null,
        };
    }

    [GeneratedRegex(@"\[\[([ABC])\]\]")]
    private static partial Regex Bracketed();

    [GeneratedRegex(@"(?im)^\W*(?:winner|verdict|better answer)\W*[:=]\s*(answer [ab]|[ab]|tie)\b")]
    private static partial Regex WinnerLine();
}
