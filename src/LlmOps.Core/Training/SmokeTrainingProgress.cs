namespace LlmOps.Core.Training;

/// <summary>A snapshot of the smoke training (<see cref="SmokeTraining"/>) in flight, shown through the display hook and
/// updated in place. Pretraining reports <see cref="PretrainProgress"/>.</summary>
/// <param name="Step">Steps done.</param>
/// <param name="TotalSteps">Steps planned.</param>
/// <param name="Loss">Loss at the latest step.</param>
/// <param name="ElapsedSeconds">Wall time so far.</param>
public sealed record SmokeTrainingProgress(int Step, int TotalSteps, double Loss, double ElapsedSeconds)
{
    /// <summary>Fraction done, 0 to 1.</summary>
    public double Fraction => TotalSteps == 0 ? 1 : (double)Step / TotalSteps;
}
