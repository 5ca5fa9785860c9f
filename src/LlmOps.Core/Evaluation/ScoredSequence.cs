namespace LlmOps.Core.Evaluation;

/// <summary>A token sequence of at most block size + 1 tokens whose last <paramref name="Scored"/> tokens are
/// scored, each predicted from all tokens before it.</summary>
/// <param name="Ids">The tokens.</param>
/// <param name="Scored">How many of the last tokens count (at most Ids.Length − 1).</param>
readonly record struct ScoredSequence(int[] Ids, int Scored);
