namespace LlmOps.Core.Evaluation;

/// <summary>Exact match: the answer equals the expected text once surrounding white space is dropped (ordinal,
/// case-sensitive), as lm-evaluation-harness's <c>exact_match</c> with its default settings (no case or punctuation
/// folding) and as <see cref="FineTuning.InstructionEvaluation"/> has always scored.</summary>
public static class ExactMatch
{
    /// <summary>The one normalisation every exact comparison uses: surrounding white space removed.</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim();
    }

    /// <summary>Whether <paramref name="answer"/> equals <paramref name="expected"/> after <see cref="Normalize"/>.</summary>
    public static bool Matches(string answer, string expected) => string.Equals(Normalize(answer), Normalize(expected), StringComparison.Ordinal);

    /// <summary>Whether the normalised <paramref name="expected"/> occurs in <paramref name="answer"/> (the
    /// <c>contains</c> metric: credit for a right answer wrapped in other words). An empty expectation never counts.</summary>
    public static bool Contains(string answer, string expected)
    {
        string target = Normalize(expected);
        return target.Length > 0 && Normalize(answer).Contains(target, StringComparison.Ordinal);
    }
}
