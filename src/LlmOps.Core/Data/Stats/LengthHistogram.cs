namespace LlmOps.Core.Data.Stats;

/// <summary>Document lengths in power-of-two bins: bin k counts lengths in [2^k, 2^(k+1)), bin 0 also holds 0.</summary>
/// <param name="Counts">Documents per bin, from bin 0 to the largest non-empty one.</param>
/// <param name="Min">Shortest length.</param>
/// <param name="Max">Longest length.</param>
/// <param name="Mean">Mean length.</param>
/// <param name="Median">Median length, estimated within its bin (log-linear interpolation).</param>
public sealed record LengthHistogram(IReadOnlyList<long> Counts, long Min, long Max, double Mean, double Median)
{
    /// <summary>The range bin <paramref name="k"/> covers, as "64–127".</summary>
    public static string Label(int k) => k == 0 ? "0–1" : $"{1L << k}–{(1L << (k + 1)) - 1}";
}
