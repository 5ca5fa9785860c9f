using LlmOps.Core.Platform;

namespace LlmOps.Core.Data.Mixing;

/// <summary>
/// Mixes sources by weight, measured in characters (a stand-in for tokens that needs no tokenizer), the way
/// pretraining mixtures are specified: each source gets <c>weight × total</c> characters, subsampled when it has
/// more and repeated for extra epochs when it has less, and the mix says which happened. Deterministic per seed.
/// </summary>
public static class DataMixer
{
    /// <summary>Mixes <paramref name="documents"/> (grouped by <see cref="Document.Source"/>) by <paramref name="weights"/>.</summary>
    /// <param name="documents">Documents from every source.</param>
    /// <param name="weights">Source name to weight; weights are normalised to sum to 1. Every source must have documents.</param>
    /// <param name="totalCharacters">Size of the mix; by default the largest total for which no source repeats.</param>
    /// <param name="seed">Seed for which documents are taken and for the final order.</param>
    public static DataMix Mix(IEnumerable<Document> documents, IReadOnlyDictionary<string, double> weights, long? totalCharacters = null, int seed = 1337)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count == 0 || weights.Values.Any(w => w < 0 || double.IsNaN(w)) || weights.Values.Sum() <= 0)
            throw new ArgumentException("Mix weights must be non-negative with a positive sum.", nameof(weights));
        var bySource = documents.GroupBy(d => d.Source, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var missing = weights.Keys.Where(s => !bySource.ContainsKey(s) || bySource[s].Sum(d => (long)d.Text.Length) == 0).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"No text for source(s) {string.Join(", ", missing)}; the documents' sources are: {string.Join(", ", bySource.Keys.Order(StringComparer.Ordinal))}.", nameof(weights));

        double sum = weights.Values.Sum();
        var available = weights.Keys.ToDictionary(s => s, s => bySource[s].Sum(d => (long)d.Text.Length), StringComparer.Ordinal);
        long total = totalCharacters ?? (long)weights.Where(w => w.Value > 0).Min(w => available[w.Key] / (w.Value / sum));
        var scope = new SeedScope(seed);
        var mixed = new List<Document>();
        var components = new List<MixComponent>();
        foreach (var (source, weight) in weights)
        {
            long target = (long)Math.Round(total * weight / sum);
            long taken = 0;
            int count = 0;
            // Whole epochs first (every document once per epoch), then a shuffled partial pass until the target is met.
            var pool = bySource[source];
            int epoch = 0;
            while (taken < target)
            {
                var order = scope.Shuffle(pool, $"mix:{source}:{epoch++}");
                foreach (var document in order)
                {
                    if (taken >= target)
                        break;
                    mixed.Add(document);
                    taken += document.Text.Length;
                    count++;
                }
            }
            components.Add(new MixComponent(source, weight / sum, available[source], taken, count, (double)taken / available[source]));
        }
        return new DataMix(scope.Shuffle(mixed, "mix:order"), components);
    }
}
