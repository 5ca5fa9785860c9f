using System.Globalization;

namespace LlmOps.Core.Data.Mixing;

/// <summary>Shares of a corpus for training, validation and test; they must add up to 1.</summary>
/// <param name="Train">Share for training.</param>
/// <param name="Validation">Share for validation (loss curves, early stopping).</param>
/// <param name="Test">Share held out until the end.</param>
public sealed record SplitRatios(double Train = 0.9, double Validation = 0.05, double Test = 0.05)
{
    /// <summary>Throws when a share is negative or they do not add up to 1.</summary>
    public SplitRatios Checked()
    {
        if (Train < 0 || Validation < 0 || Test < 0 || Math.Abs(Train + Validation + Test - 1) > 1e-9)
            throw new ArgumentException($"Split shares must be non-negative and add up to 1; got train {Train}, validation {Validation}, test {Test}.");
        return this;
    }

    /// <summary>Parses <c>"0.9,0.05,0.05"</c> (train, validation, test).</summary>
    /// <exception cref="ArgumentException">Not three numbers adding up to 1; the message shows the input.</exception>
    public static SplitRatios Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(',');
        var values = new double[parts.Length];
        if (parts.Length != 3 || !parts.Select((p, i) => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])).All(ok => ok))
            throw new ArgumentException($"A split is three shares, train,validation,test (e.g. 0.9,0.05,0.05); got '{text}'.");
        return new SplitRatios(values[0], values[1], values[2]).Checked();
    }
}
