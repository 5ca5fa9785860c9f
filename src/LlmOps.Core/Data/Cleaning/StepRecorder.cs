namespace LlmOps.Core.Data.Cleaning;

/// <summary>
/// What a step says about the one document it is looking at: the rule that removed it (so the rejects file and the
/// report can name it) and counters such as PII hits by kind or lines dropped. The pipeline hands a step a fresh
/// recorder per document and folds it into that step's report.
/// </summary>
public sealed class StepRecorder
{
    readonly Dictionary<string, long> counters = new(StringComparer.Ordinal);

    /// <summary>The rule that removed the document (e.g. <c>gopher:mean_word_length</c>), or null while it is kept.</summary>
    public string? RemovedBy { get; private set; }

    /// <summary>Why, in words with the measured value and the threshold (e.g. <c>mean word length 1.9 &lt; 3</c>).</summary>
    public string? Detail { get; private set; }

    /// <summary>Counters recorded for this document.</summary>
    public IReadOnlyDictionary<string, long> Counters => counters;

    /// <summary>Marks the document removed by <paramref name="rule"/> and returns null, so a step can
    /// <c>return recorder.Remove(...)</c>.</summary>
    public Document? Remove(string rule, string detail)
    {
        RemovedBy = rule;
        Detail = detail;
        return null;
    }

    /// <summary>Adds <paramref name="amount"/> to the counter <paramref name="name"/> (e.g. <c>pii:email</c>).</summary>
    public void Count(string name, long amount = 1)
    {
        if (amount != 0)
            counters[name] = counters.GetValueOrDefault(name) + amount;
    }

    /// <summary>Clears the recorder for the next document.</summary>
    internal void Reset()
    {
        RemovedBy = null;
        Detail = null;
        counters.Clear();
    }
}
