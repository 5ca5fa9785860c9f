using System.Globalization;

namespace LlmOps.Core.Evaluation;

/// <summary>Two models on the same items: the mean per-item difference (A minus B) with its paired-bootstrap 95%
/// interval and p-value.</summary>
/// <param name="Difference">Mean of A's score minus B's over the items.</param>
/// <param name="Lower">The 2.5th percentile of the resampled differences.</param>
/// <param name="Upper">The 97.5th percentile.</param>
/// <param name="PValue">The share of resamples whose difference does not have the observed sign (1 when the observed
/// difference is zero).</param>
/// <param name="Items">Paired items.</param>
/// <param name="Resamples">Bootstrap resamples drawn.</param>
public sealed record BootstrapComparison(double Difference, double Lower, double Upper, double PValue, int Items, int Resamples)
{
    /// <summary>True when the 95% interval excludes zero.</summary>
    public bool Significant => Lower > 0 || Upper < 0;

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Difference:+0.####;-0.####;0} [{Lower:0.####}, {Upper:0.####}], p = {PValue:0.###}{(Significant ? " (significant)" : "")}");
}
