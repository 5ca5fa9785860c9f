namespace LlmOps.Core.Evaluation;

/// <summary>Which of two answers a pairwise judge preferred.</summary>
public enum PairwiseWinner
{
    /// <summary>Neither: the judge said so, or its two orders disagreed.</summary>
    Tie,

    /// <summary>The first answer given to <see cref="PairwiseJudge.CompareAsync"/>.</summary>
    A,

    /// <summary>The second answer given to <see cref="PairwiseJudge.CompareAsync"/>.</summary>
    B,
}
