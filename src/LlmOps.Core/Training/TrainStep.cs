namespace LlmOps.Core.Training;

/// <summary>One optimizer step as it was measured: what the loss chart, the run store and <c>trainer.json</c> record.</summary>
/// <param name="Step">Steps done, this one included (1 for the first).</param>
/// <param name="Loss">Mean training loss over the step's micro-batches, before the update.</param>
/// <param name="LearningRate">The learning rate the step used.</param>
/// <param name="GradNorm">The global gradient norm before clipping.</param>
/// <param name="TokensPerSecond">Training tokens of this step over its wall time.</param>
/// <param name="Mfu">Model FLOPs utilisation of this step against the run's peak (0 to 1).</param>
public sealed record TrainStep(int Step, double Loss, double LearningRate, double GradNorm, double TokensPerSecond, double Mfu);
