using System.Globalization;
using LlmOps.Core.Training;

namespace LlmOps.Core.Alignment;

/// <summary>What a DPO or IPO run did: the shared trainer's result, and what preference tuning added to it.</summary>
/// <param name="Training">The training loop's result: status, losses, checkpoints, history.</param>
/// <param name="Loss">The loss (<c>sigmoid</c> or <c>ipo</c>).</param>
/// <param name="Beta">β.</param>
/// <param name="Method">The tuning method (<c>full</c>, <c>lora</c>, ...).</param>
/// <param name="TrainPairs">Training pairs used.</param>
/// <param name="ValidationPairs">Validation pairs used.</param>
/// <param name="SkippedTooLong">Pairs left out because an answer does not fit the model's context.</param>
/// <param name="TrainableParameters">Parameters the optimizer updated.</param>
/// <param name="TotalParameters">Parameters of the policy.</param>
/// <param name="Note">What the run did differently from what was asked, and why; null when nothing.</param>
public sealed record DpoResult(
    PretrainResult Training,
    string Loss,
    double Beta,
    string Method,
    int TrainPairs,
    int ValidationPairs,
    int SkippedTooLong,
    long TrainableParameters,
    long TotalParameters,
    string? Note = null)
{
    /// <summary>The last checkpoint (a DPO loss keeps falling as the policy drifts, so "best by validation loss" is not
    /// the one to serve by default).</summary>
    public string? Checkpoint => Training.LastCheckpoint;

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Method} {(Loss == "ipo" ? "IPO" : "DPO")} (β {Beta}) on {TrainPairs} pairs: {Training.Message} train loss {Training.FinalTrainLoss:F4}, val loss {Training.FinalValidationLoss:F4}; " +
        $"trained {TrainableParameters:N0} of {TotalParameters:N0} parameters; checkpoint {Checkpoint}") + (Note is null ? "" : $" ({Note})");
}
