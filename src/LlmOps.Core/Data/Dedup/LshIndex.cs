namespace LlmOps.Core.Data.Dedup;

/// <summary>
/// Locality-sensitive hashing over MinHash signatures: the signature is cut into bands of rows, each band is hashed
/// to a bucket key, and items whose signatures agree on every row of at least one band land in a shared bucket. Two
/// items with Jaccard J share a band with probability 1 - (1 - J^rows)^bands, so only likely duplicates are ever
/// compared, instead of every pair. Items are the caller's integer handles (e.g. the index of a kept document).
/// </summary>
public sealed class LshIndex
{
    readonly Dictionary<ulong, List<int>>[] buckets;

    /// <summary>Creates an empty index for signatures of <paramref name="bands"/> × <paramref name="rowsPerBand"/> hashes.</summary>
    public LshIndex(int bands, int rowsPerBand)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bands, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerBand, 1);
        Bands = bands;
        RowsPerBand = rowsPerBand;
        buckets = new Dictionary<ulong, List<int>>[bands];
        for (int band = 0; band < bands; band++)
            buckets[band] = [];
    }

    /// <summary>Number of bands.</summary>
    public int Bands { get; }

    /// <summary>Signature rows per band.</summary>
    public int RowsPerBand { get; }

    /// <summary>How many items were inserted.</summary>
    public int Count { get; private set; }

    /// <summary>The items sharing at least one band with <paramref name="signature"/>, each once, in ascending order
    /// (earliest inserted first when handles grow with insertion), so callers decide deterministically.</summary>
    public IReadOnlyList<int> Candidates(ulong[] signature)
    {
        CheckLength(signature);
        var found = new HashSet<int>();
        for (int band = 0; band < Bands; band++)
            if (buckets[band].TryGetValue(BandKey(signature, band), out var items))
                found.UnionWith(items);
        var sorted = found.ToList();
        sorted.Sort();
        return sorted;
    }

    /// <summary>Adds <paramref name="item"/> to its bucket in every band.</summary>
    public void Insert(int item, ulong[] signature)
    {
        CheckLength(signature);
        for (int band = 0; band < Bands; band++)
        {
            ulong key = BandKey(signature, band);
            if (!buckets[band].TryGetValue(key, out var items))
                buckets[band][key] = items = [];
            items.Add(item);
        }
        Count++;
    }

    /// <summary>A 64-bit key of one band's rows. Two different bands colliding on it (about 2^-64 per pair) would
    /// only add a candidate, which verification then rejects.</summary>
    ulong BandKey(ulong[] signature, int band)
    {
        ulong key = 0x9E3779B97F4A7C15UL;
        int start = band * RowsPerBand;
        for (int row = start; row < start + RowsPerBand; row++)
        {
            key ^= signature[row];
            key *= 0xFF51AFD7ED558CCDUL;
            key ^= key >> 32;
        }
        return key;
    }

    void CheckLength(ulong[] signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (signature.Length != Bands * RowsPerBand)
            throw new ArgumentException($"A signature of {signature.Length} hashes does not fit {Bands} bands of {RowsPerBand} rows.", nameof(signature));
    }
}
