using System.Globalization;
using LlmOps.Core.Chat;
using LlmOps.Core.Modeling;
using LlmOps.Core.Peft;
using LlmOps.Core.Tokenization;
using LlmOps.Core.Training;
using static TorchSharp.torch;

namespace LlmOps.Core.FineTuning;

/// <summary>What a fine-tuning run did: the shared trainer's result, and what fine-tuning added to it.</summary>
/// <param name="Training">The training loop's result: status, losses, checkpoints, history.</param>
/// <param name="Method">The tuning method (<c>full</c>, <c>lora</c>, <c>adapter</c>, ...).</param>
/// <param name="Template">The chat template trained with (<c>chatml</c>, <c>markers</c>).</param>
/// <param name="Tokenizer">The tokenizer reference written into the checkpoints (a folder when chat tokens were added).</param>
/// <param name="AddedTokens">Special tokens added to the base's tokenizer (with new embedding rows); empty when it had them.</param>
/// <param name="TrainExamples">Training examples used.</param>
/// <param name="ValidationExamples">Validation examples used.</param>
/// <param name="SkippedTooLong">Examples left out because they do not fit the model's context.</param>
/// <param name="TrainableParameters">Parameters the optimizer updated.</param>
/// <param name="TotalParameters">Parameters of the model (a PEFT method's own included).</param>
/// <param name="OptimizerStateBytes">AdamW's state for the trained parameters (two moments each; see
/// <see cref="Peft.TrainableParameters"/>). Peak process memory is not measured by the loop.</param>
/// <param name="StepsPerSecond">Optimizer steps per second of time spent in training steps, this session.</param>
/// <param name="Peft">The PEFT knobs the run used; null for full fine-tuning.</param>
/// <param name="AdapterFolder">For LoRA: the served checkpoint's adapter in Hugging Face peft's layout
/// (<c>OutFolder/adapter</c>); null otherwise.</param>
/// <param name="Note">What the run did differently from what was asked, and why (bf16 asked for a PEFT run); null when nothing.</param>
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
    long TotalParameters,
    long OptimizerStateBytes = 0,
    double StepsPerSecond = 0,
    PeftSettings? Peft = null,
    string? AdapterFolder = null,
    string? Note = null)
{
    /// <summary>The checkpoint to serve: the best by validation loss, else the last.</summary>
    public string? Checkpoint => Training.BestCheckpoint ?? Training.LastCheckpoint;

    /// <summary>Trained over total parameters, 0..1.</summary>
    public double TrainableShare => TotalParameters == 0 ? 0 : (double)TrainableParameters / TotalParameters;

    /// <summary>A chat client over the tuned model of <see cref="Checkpoint"/>, whichever the method
    /// (<see cref="SupervisedFineTuner.OpenChatClient"/>); the client owns the model.</summary>
    /// <exception cref="InvalidOperationException">The run wrote no checkpoint.</exception>
    public LocalChatClient OpenChatClient(TokenizerRegistry? tokenizers = null, GenerationConfig? defaults = null, Device? device = null) =>
        SupervisedFineTuner.OpenChatClient(Checkpoint ?? throw new InvalidOperationException($"The {Method} run {Training.RunName} wrote no checkpoint to serve."),
            tokenizers, defaults, device);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Method} SFT ({Template}) on {TrainExamples} examples: {Training.Message} train loss {Training.FinalTrainLoss:F4}, best val loss {Training.BestValidationLoss:F4}; " +
        $"trained {TrainableParameters:N0} of {TotalParameters:N0} parameters ({TrainableShare:P2}), {StepsPerSecond:F1} steps/s; checkpoint {Checkpoint}") +
        (Note is null ? "" : $" ({Note})");
}
