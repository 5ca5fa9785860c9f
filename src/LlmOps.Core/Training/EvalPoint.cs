namespace LlmOps.Core.Training;

/// <summary>One evaluation: the mean validation loss after <paramref name="Step"/> steps.</summary>
/// <param name="Step">Steps done when it was measured.</param>
/// <param name="Loss">Mean cross entropy over the same validation windows as every other evaluation of the run.</param>
public sealed record EvalPoint(int Step, double Loss);
