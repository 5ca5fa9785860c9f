using System.Globalization;

namespace LlmOps.Core.Alignment;

/// <summary>How a reward model ranks pairs: the share it ranks right and the distribution of its margins.</summary>
/// <param name="Accuracy">Share of pairs whose chosen answer gets the higher reward (a tie counts half; 0.5 is chance).</param>
/// <param name="MeanMargin">Mean of chosen minus rejected reward.</param>
/// <param name="MarginStdDev">Standard deviation of the margins.</param>
/// <param name="MinMargin">The worst pair's margin.</param>
/// <param name="MaxMargin">The best pair's margin.</param>
/// <param name="Pairs">Pairs measured.</param>
public sealed record RewardAccuracy(double Accuracy, double MeanMargin, double MarginStdDev, double MinMargin, double MaxMargin, int Pairs)
{
    /// <summary>The statistics of <paramref name="margins"/> (chosen minus rejected reward, one per pair).</summary>
    public static RewardAccuracy Of(IReadOnlyList<double> margins)
    {
        ArgumentNullException.ThrowIfNull(margins);
        if (margins.Count == 0)
            return new(0, 0, 0, 0, 0, 0);
        double mean = margins.Average();
        return new(margins.Sum(m => m > 0 ? 1 : m == 0 ? 0.5 : 0) / margins.Count, mean,
            Math.Sqrt(margins.Sum(m => (m - mean) * (m - mean)) / margins.Count), margins.Min(), margins.Max(), margins.Count);
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"accuracy {Accuracy:P1} over {Pairs} pairs; margin mean {MeanMargin:F3} ± {MarginStdDev:F3}, min {MinMargin:F3}, max {MaxMargin:F3}");
}
