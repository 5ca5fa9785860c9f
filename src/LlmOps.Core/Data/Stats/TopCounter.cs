namespace LlmOps.Core.Data.Stats;

/// <summary>
/// Counts keys and keeps the most frequent ones in bounded memory: when more than <c>capacity</c> distinct keys are
/// held, those below the median count are dropped. Counts are exact while the distinct keys fit; beyond that, frequent
/// keys keep their lead (a key that survives every pruning is counted from its last re-entry, so counts are lower
/// bounds) and rare ones are forgotten.
/// </summary>
sealed class TopCounter(int capacity)
{
    readonly Dictionary<string, long> counts = new(StringComparer.Ordinal);

    public void Add(string key)
    {
        counts[key] = counts.GetValueOrDefault(key) + 1;
        if (counts.Count > capacity)
            Prune();
    }

    public List<NgramCount> Top(int count) =>
        [.. counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(count).Select(c => new NgramCount(c.Key, c.Value))];

    void Prune()
    {
        var sorted = counts.Values.Order().ToArray();
        long median = sorted[sorted.Length / 2];
        foreach (var key in counts.Where(c => c.Value <= median).Select(c => c.Key).ToList())
            counts.Remove(key);
    }
}
