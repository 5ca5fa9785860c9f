using System.Globalization;
using LlmOps.Core.Training;

namespace LlmOps.Core.Alignment;

/// <summary>What a reward model run did.</summary>
/// <param name="Training">The training loop's result: status, losses, checkpoints, history.</param>
/// <param name="TrainPairs">Training pairs used.</param>
/// <param name="ValidationPairs">Validation pairs used.</param>
/// <param name="SkippedTooLong">Pairs left out because an answer does not fit the model's context.</param>
/// <param name="HeldOut">The final model's ranking of the validation pairs (accuracy and margin statistics).</param>
public sealed record RewardResult(PretrainResult Training, int TrainPairs, int ValidationPairs, int SkippedTooLong, RewardAccuracy HeldOut)
{
    /// <summary>The checkpoint to load with <see cref="RewardModel.Load"/>: the last.</summary>
    public string? Checkpoint => Training.LastCheckpoint;

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"reward model on {TrainPairs} pairs: {Training.Message} train loss {Training.FinalTrainLoss:F4}, val loss {Training.FinalValidationLoss:F4}; held out {HeldOut}; checkpoint {Checkpoint}");
}
