using System.Globalization;
using LlmOps.Core.Training;

namespace LlmOps.Core.FineTuning;

/// <summary>What a fine-tuning run did: the shared trainer's result, and what fine-tuning added to it.</summary>
/// <param name="Training">The training loop's result: status, losses, checkpoints, history.</param>
/// <param name="Method">The tuning method (<c>full</c>).</param>
/// <param name="Template">The chat template trained with (<c>chatml</c>, <c>markers</c>).</param>
/// <param name="Tokenizer">The tokenizer reference written into the checkpoints (a folder when chat tokens were added).</param>
/// <param name="AddedTokens">Special tokens added to the base's tokenizer (with new embedding rows); empty when it had them.</param>
/// <param name="TrainExamples">Training examples used.</param>
/// <param name="ValidationExamples">Validation examples used.</param>
/// <param name="SkippedTooLong">Examples left out because they do not fit the model's context.</param>
/// <param name="TrainableParameters">Parameters the optimizer updated.</param>
/// <param name="TotalParameters">Parameters of the model.</param>
public sealed record SftResult(
    PretrainResult Training,
    string Method,
    string Template,
    string Tokenizer,
    IReadOnlyList<string> AddedTokens,
    int TrainExamples,
    int ValidationExamples,
    int SkippedTooLong,
    long TrainableParameters,
    long TotalParameters)
{
    /// <summary>The checkpoint to serve: the best by validation loss, else the last.</summary>
    public string? Checkpoint => Training.BestCheckpoint ?? Training.LastCheckpoint;

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Method} SFT ({Template}) on {TrainExamples} examples: {Training.Message} train loss {Training.FinalTrainLoss:F4}, best val loss {Training.BestValidationLoss:F4}; checkpoint {Checkpoint}");
}
