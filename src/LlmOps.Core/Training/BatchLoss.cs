using static TorchSharp.torch;

namespace LlmOps.Core.Training;

/// <summary>What <see cref="ITrainingTask{TModel, TBatch}.Loss"/> returns for one micro-batch.</summary>
/// <param name="Loss">The mean loss over the batch's rows: an fp32 scalar with a graph back to the parameters.</param>
/// <param name="Rows">The rows it averages over; weights the batch in the validation mean.</param>
/// <param name="Metrics">Extra scalars (an accuracy, a reward margin), averaged like the loss and logged to the run store
/// as <c>train/NAME</c> and <c>val/NAME</c>; null for none.</param>
public readonly record struct BatchLoss(Tensor Loss, long Rows, IReadOnlyDictionary<string, Tensor>? Metrics = null);
