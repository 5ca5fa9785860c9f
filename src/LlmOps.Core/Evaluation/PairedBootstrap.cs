namespace LlmOps.Core.Evaluation;

/// <summary>The paired bootstrap test (Koehn 2004, "Statistical Significance Tests for Machine Translation
/// Evaluation"; Berg-Kirkpatrick et al. 2012): resample the items with replacement, keeping each item's two scores
/// together, and read the spread of the mean difference from the resamples.</summary>
public static class PairedBootstrap
{
    /// <summary>Compares per-item scores <paramref name="a"/> and <paramref name="b"/> (same items, same order).</summary>
    /// <param name="a">Model A's scores.</param>
    /// <param name="b">Model B's scores.</param>
    /// <param name="resamples">Resamples to draw.</param>
    /// <param name="seed">Seeds the draws: the same seed gives the same interval.</param>
    public static BootstrapComparison Compare(IReadOnlyList<double> a, IReadOnlyList<double> b, int resamples = 1000, int seed = 1234)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count)
            throw new ArgumentException($"Paired scores need the same items: {a.Count} against {b.Count}.", nameof(b));
        if (a.Count == 0)
            throw new ArgumentException("No items to compare.", nameof(a));
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        double[] differences = [.. a.Zip(b, (x, y) => x - y)];
        int n = differences.Length;
        double observed = differences.Average();
        var random = new Random(seed);
        var means = new double[resamples];
        for (int r = 0; r < resamples; r++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++)
                sum += differences[random.Next(n)];
            means[r] = sum / n;
        }
        Array.Sort(means);
        double flipped = observed == 0 ? resamples : means.Count(m => Math.Sign(m) != Math.Sign(observed));
        return new(observed, Percentile(means, 0.025), Percentile(means, 0.975), flipped / resamples, n, resamples);
    }

    /// <summary>The <paramref name="q"/> quantile of sorted values, interpolated linearly (numpy's default).</summary>
    internal static double Percentile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
