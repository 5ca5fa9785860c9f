namespace LlmOps.Core.Platform;

/// <summary>
/// The .NET side of a seeded run. Each purpose ("data-order", "dropout-mask", ...) gets its own stream derived
/// from the seed and the purpose's name, so adding a random draw in one place does not shift another's.
/// </summary>
/// <param name="Seed">The run's seed.</param>
public sealed record SeedScope(int Seed)
{
    /// <summary>The purpose used for the order in which training data is visited.</summary>
    public const string DataOrder = "data-order";

    /// <summary>A fresh generator for <paramref name="purpose"/>: the same seed and purpose always give the same sequence.</summary>
    public Random Random(string purpose) => new(Derive(Seed, purpose));

    /// <summary>A deterministic shuffle (Fisher–Yates) of <paramref name="items"/> for <paramref name="purpose"/>.</summary>
    public T[] Shuffle<T>(IEnumerable<T> items, string purpose = DataOrder)
    {
        var array = items.ToArray();
        var random = Random(purpose);
        for (int i = array.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (array[i], array[j]) = (array[j], array[i]);
        }
        return array;
    }

    /// <summary>Mixes a seed and a purpose into a stream seed. Stable across processes and platforms,
    /// unlike <see cref="string.GetHashCode()"/>, which .NET randomises per process.</summary>
    public static int Derive(int seed, string purpose)
    {
        ulong hash = 14695981039346656037UL; // FNV-1a 64
        foreach (char c in purpose)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        hash ^= (ulong)(uint)seed * 0x9E3779B97F4A7C15UL;
        hash ^= hash >> 33;
        hash *= 0xFF51AFD7ED558CCDUL;
        hash ^= hash >> 33;
        return (int)(hash & 0x7FFFFFFF);
    }
}
