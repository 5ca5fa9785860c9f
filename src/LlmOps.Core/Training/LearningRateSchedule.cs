namespace LlmOps.Core.Training;

/// <summary>
/// nanoGPT's schedule: linear warmup to the peak, cosine decay to the minimum, then flat. A pure function of the step,
/// so a resumed run needs no scheduler state beyond the step itself.
/// </summary>
/// <param name="Peak">The learning rate reached at the end of warmup.</param>
/// <param name="Minimum">The floor the cosine decays to and stays at.</param>
/// <param name="WarmupSteps">Steps of linear warmup (0: start at the peak). Adam's second-moment estimates are poor in
/// the first steps, and small steps there avoid early divergence.</param>
/// <param name="DecaySteps">The step at which the cosine reaches <paramref name="Minimum"/> (Chinchilla: about the run's length).</param>
public sealed record LearningRateSchedule(double Peak, double Minimum, int WarmupSteps, int DecaySteps)
{
    /// <summary>The learning rate of step <paramref name="step"/> (1 for the first step): <c>Peak·step/warmup</c>
    /// during warmup (the peak exactly at the last warmup step), then <c>Minimum + ½(1 + cos πr)(Peak − Minimum)</c>
    /// with r going from 0 at the end of warmup to 1 at <see cref="DecaySteps"/>, then the minimum.</summary>
    public double At(int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(step);
        if (step <= WarmupSteps)
            return Peak * step / WarmupSteps;
        if (step >= DecaySteps)
            return Minimum;
        double ratio = (double)(step - WarmupSteps) / (DecaySteps - WarmupSteps);
        return Minimum + (0.5 * (1 + Math.Cos(Math.PI * ratio)) * (Peak - Minimum));
    }
}
