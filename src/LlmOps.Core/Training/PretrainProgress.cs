namespace LlmOps.Core.Training;

/// <summary>
/// A pretraining run in flight, shown through the display hook and replaced in place: a live loss chart in notebooks,
/// a progress bar on the console, a status line in logs. Histories are snapshots, safe to keep.
/// </summary>
/// <param name="RunName">The run's name.</param>
/// <param name="Step">Steps done.</param>
/// <param name="TotalSteps">Steps planned.</param>
/// <param name="Train">Every step so far (earlier sessions included, for a resumed run).</param>
/// <param name="Validation">Every evaluation so far.</param>
/// <param name="LearningRate">The latest step's learning rate.</param>
/// <param name="TokensPerSecond">Training throughput, smoothed over recent steps.</param>
/// <param name="Mfu">Model FLOPs utilisation, smoothed, 0 to 1.</param>
/// <param name="ElapsedSeconds">Wall time of the run so far, all sessions.</param>
/// <param name="EtaSeconds">Estimated time to the last step at the recent pace; null before the first step.</param>
/// <param name="Device">Where it runs, with the precision (<c>cpu fp32</c>, <c>cuda bf16</c>).</param>
public sealed record PretrainProgress(
    string RunName,
    int Step,
    int TotalSteps,
    IReadOnlyList<TrainStep> Train,
    IReadOnlyList<EvalPoint> Validation,
    double LearningRate,
    double TokensPerSecond,
    double Mfu,
    double ElapsedSeconds,
    double? EtaSeconds,
    string Device)
{
    /// <summary>Fraction done, 0 to 1.</summary>
    public double Fraction => TotalSteps == 0 ? 1 : Math.Min(1, (double)Step / TotalSteps);

    /// <summary>The latest training loss, or NaN before the first step.</summary>
    public double TrainLoss => Train.Count > 0 ? Train[^1].Loss : double.NaN;

    /// <summary>The latest validation loss, or NaN before the first evaluation.</summary>
    public double ValidationLoss => Validation.Count > 0 ? Validation[^1].Loss : double.NaN;

    /// <summary>The lowest validation loss so far, or NaN before the first evaluation.</summary>
    public double BestValidationLoss => Validation.Count > 0 ? Validation.Min(v => v.Loss) : double.NaN;
}
