using LlmOps.Core.Platform;

namespace LlmOps.Core.Data.Mixing;

/// <summary>Deterministic sampling: the same seed gives the same sample on any machine.</summary>
public static class Sampler
{
    /// <summary>Keeps each document with probability <paramref name="fraction"/>, decided by its content hash and the
    /// seed alone, so the sample does not depend on input order and streams in constant memory.</summary>
    public static IEnumerable<Document> Fraction(IEnumerable<Document> documents, double fraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (fraction is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "A sampling fraction lies between 0 and 1.");
        string salt = $"sample:{seed}";
        return documents.Where(d => ContentHash.Unit(d.Text + "\u0001" + d.Id, salt) < fraction);
    }

    /// <summary>Exactly <paramref name="count"/> documents (or all, if fewer), chosen uniformly by reservoir sampling
    /// in one pass and returned in input order.</summary>
    public static List<Document> Take(IEnumerable<Document> documents, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new SeedScope(seed).Random("sample");
        var reservoir = new List<(long Index, Document Document)>(count);
        long seen = 0;
        foreach (var document in documents)
        {
            if (reservoir.Count < count)
                reservoir.Add((seen, document));
            else
            {
                long slot = random.NextInt64(seen + 1);
                if (slot < count)
                    reservoir[(int)slot] = (seen, document);
            }
            seen++;
        }
        return [.. reservoir.OrderBy(r => r.Index).Select(r => r.Document)];
    }
}
