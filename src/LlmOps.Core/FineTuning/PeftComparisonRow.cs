using System.Globalization;

namespace LlmOps.Core.FineTuning;

/// <summary>One method of a <see cref="PeftComparison"/>: its run and its held-out score.</summary>
/// <param name="Result">The fine-tuning run.</param>
/// <param name="Report">Greedy exact match of its served checkpoint on the held-out examples.</param>
public sealed record PeftComparisonRow(SftResult Result, ExactMatchReport Report)
{
    /// <summary>The method (<c>full</c>, <c>lora</c>, ...).</summary>
    public string Method => Result.Method;

    /// <summary>Parameters the optimizer updated.</summary>
    public long TrainableParameters => Result.TrainableParameters;

    /// <summary>Trained over total parameters, 0..1.</summary>
    public double TrainableShare => Result.TrainableShare;

    /// <summary>AdamW's state bytes for the trained parameters.</summary>
    public long OptimizerStateBytes => Result.OptimizerStateBytes;

    /// <summary>Optimizer steps per second of training-step time.</summary>
    public double StepsPerSecond => Result.StepsPerSecond;

    /// <summary>The run's wall time, set-up and evaluations included.</summary>
    public double Seconds => Result.Training.Seconds;

    /// <summary>Held-out exact match, 0..1.</summary>
    public double ExactMatch => Report.Accuracy;

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Method}: {TrainableParameters:N0} trained ({TrainableShare:P2}), AdamW state {OptimizerStateBytes:N0} B, {StepsPerSecond:F1} steps/s, {Seconds:F0} s, held-out {Report}");
}
