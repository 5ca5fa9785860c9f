namespace LlmOps.Core.Evaluation;

/// <summary>A pairwise judge's verdict on answers A and B, asked in both orders.</summary>
/// <param name="Winner">The verdict: the judge's when both orders agree, a tie when they disagree; null on an error.</param>
/// <param name="AFirst">The verdict with A shown first, or null when unreadable.</param>
/// <param name="BFirst">The verdict with B shown first (mapped back to A and B), or null when unreadable.</param>
/// <param name="Raw">The judge's two answers as received, A-first then B-first.</param>
/// <param name="Error">Why there is no verdict (a failed endpoint, an unreadable answer), else null.</param>
public sealed record PairwiseJudgement(PairwiseWinner? Winner, PairwiseWinner? AFirst, PairwiseWinner? BFirst, IReadOnlyList<string> Raw,
    string? Error = null)
{
    /// <summary>The judgement as an outcome between players <paramref name="a"/> (who gave A) and <paramref name="b"/>,
    /// for <see cref="BradleyTerry"/>; null for a tie or an error (they decide nothing).</summary>
    public PairwiseOutcome? Outcome(int a, int b) => Winner switch
    {
        PairwiseWinner.A => new PairwiseOutcome(a, b),
        PairwiseWinner.B => new PairwiseOutcome(b, a),
        _ => null,
    };
}
