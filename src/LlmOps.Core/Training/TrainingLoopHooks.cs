namespace LlmOps.Core.Training;

/// <summary>Test seams into the <see cref="TrainingLoop"/>: see the losses before they are checked, and act after each
/// step (cancel at a chosen step). Not public: runs are configured by their config records alone.</summary>
/// <param name="Loss">Replaces a step's training loss before the NaN check (step, loss) -> loss.</param>
/// <param name="ValidationLoss">Replaces an evaluation's loss before it is compared with the best (step, loss) -> loss.</param>
/// <param name="AfterStep">Called after each step's bookkeeping, with the step.</param>
sealed record TrainingLoopHooks(Func<int, double, double>? Loss = null, Func<int, double, double>? ValidationLoss = null, Action<int>? AfterStep = null);
