using static TorchSharp.torch;

namespace LlmOps.Core.Training;

/// <summary>
/// What a trainer supplies to the <see cref="TrainingLoop"/>: the model to optimise, its batches, its loss and how
/// its weights are saved. Everything else (optimizer, schedule, accumulation, clipping, bf16 passes, evaluation,
/// checkpoints with exact resume, early stopping, NaN stop, cancellation, progress, the run store) is the loop's, as
/// Hugging Face's <c>Trainer</c> leaves a subclass only <c>compute_loss</c> and the data.
/// </summary>
/// <typeparam name="TModel">The model the passes run on.</typeparam>
/// <typeparam name="TBatch">One micro-batch, as the task draws it (arrays are fine: tensors are made inside
/// <see cref="Loss"/>, within the step's dispose scope).</typeparam>
public interface ITrainingTask<TModel, TBatch> where TModel : nn.Module
{
    /// <summary>The fp32 master model, on the run's device: AdamW updates its trainable parameters (those with
    /// <c>requires_grad</c>), clipping measures them, and checkpoints hold them.</summary>
    TModel Model { get; }

    /// <summary>Training FLOPs per token (forward and backward) for MFU; 0 when unknown, which reports MFU as 0.</summary>
    double FlopsPerToken { get; }

    /// <summary>The next training micro-batch of a seeded stream. The loop counts the draws and, to resume, draws and
    /// discards as many as the checkpoint's run had drawn, so the stream must depend only on the seed and the count.</summary>
    TBatch NextBatch();

    /// <summary>The validation batches of one evaluation: the same ones every time, so the curve moves only because the
    /// model does.</summary>
    IEnumerable<TBatch> ValidationBatches();

    /// <summary>The mean loss of <paramref name="batch"/> through <paramref name="model"/> (the master, or its bf16 twin)
    /// as an fp32 scalar, with the rows it averages over and any extra metrics the run store should chart.</summary>
    BatchLoss Loss(TModel model, TBatch batch);

    /// <summary>A model of the master's shape for bf16 passes (the loop converts it and copies the weights in), or
    /// null when the task cannot build one: TorchSharp has no deep copy of a module.</summary>
    TModel? CreateTwin();

    /// <summary>Writes the model's weights (and whatever describes them) into <paramref name="folder"/>, a fresh
    /// temporary folder that the loop completes with the optimizer and trainer state and then renames into place.</summary>
    /// <param name="folder">The folder to write into.</param>
    /// <param name="extra">Step and losses of the moment, for the weights' metadata.</param>
    void SaveWeights(string folder, IReadOnlyDictionary<string, string> extra);
}
