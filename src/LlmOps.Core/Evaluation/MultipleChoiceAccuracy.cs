namespace LlmOps.Core.Evaluation;

/// <summary>lm-evaluation-harness's multiple-choice metrics (<c>api/task.py</c>, <c>process_results</c>):
/// <c>acc</c> is 1 when the choice with the highest summed log-likelihood is the gold one; <c>acc_norm</c> divides
/// each choice's log-likelihood by the length of the choice in characters first, so long answers are not
/// penalised for having more tokens to predict. Ties go to the first choice (numpy's argmax).</summary>
public static class MultipleChoiceAccuracy
{
    /// <summary>The index of the choice <c>acc</c> picks.</summary>
    public static int Pick(IReadOnlyList<double> logLikelihoods)
    {
        ArgumentNullException.ThrowIfNull(logLikelihoods);
        return ArgMax(logLikelihoods.Count, i => logLikelihoods[i]);
    }

    /// <summary>The index of the choice <c>acc_norm</c> picks: log-likelihood over the choice's character count.</summary>
    public static int PickNormalized(IReadOnlyList<double> logLikelihoods, IReadOnlyList<string> choices)
    {
        ArgumentNullException.ThrowIfNull(logLikelihoods);
        ArgumentNullException.ThrowIfNull(choices);
        if (choices.Count != logLikelihoods.Count)
            throw new ArgumentException($"{logLikelihoods.Count} log-likelihoods for {choices.Count} choices.", nameof(choices));
        // The harness divides by float(len(choice)); an empty choice would divide by zero there, one character here.
        return ArgMax(logLikelihoods.Count, i => logLikelihoods[i] / Math.Max(1, choices[i].Length));
    }

    static int ArgMax(int count, Func<int, double> value)
    {
        if (count == 0)
            throw new ArgumentException("No choices to pick from.");
        int best = 0;
        for (int i = 1; i < count; i++)
            if (value(i) > value(best))
                best = i;
        return best;
    }
}
