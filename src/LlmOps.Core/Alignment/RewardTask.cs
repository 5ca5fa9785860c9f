using LlmOps.Core.FineTuning;
using LlmOps.Core.Platform;
using LlmOps.Core.Training;
using static TorchSharp.torch;

namespace LlmOps.Core.Alignment;

/// <summary>The reward model's parts of the <see cref="TrainingLoop"/>: pairs in seeded epoch orders, both answers of each
/// pair scored in one pass, the Bradley-Terry loss, and accuracy and margin as metrics.</summary>
sealed class RewardTask : ITrainingTask<RewardModel, RewardBatch>
{
    readonly IReadOnlyList<(SftSequence Chosen, SftSequence Rejected)> validation;
    readonly int batchSize;
    readonly int? evalBatches;
    readonly Device target;
    readonly Action<string, IReadOnlyDictionary<string, string>> saveWeights;
    readonly PairStream stream;

    public RewardTask(RewardModel model, IReadOnlyList<(SftSequence, SftSequence)> train, IReadOnlyList<(SftSequence, SftSequence)> validation,
        int batchSize, int? evalBatches, SeedScope seeds, Device target, Action<string, IReadOnlyDictionary<string, string>> saveWeights)
    {
        Model = model;
        stream = new PairStream(train, seeds);
        FlopsPerToken = model.Transformer.EstimateFlopsPerToken();
        (this.validation, this.batchSize, this.evalBatches, this.target, this.saveWeights) =
            (validation, batchSize, evalBatches, target, saveWeights);
    }

    public RewardModel Model { get; }

    public double FlopsPerToken { get; }

    /// <summary>The next <c>batchSize</c> pairs of a stream of seeded epoch shuffles (what exact resume needs).</summary>
    public RewardBatch NextBatch() => RewardBatch.Of(stream.Next(batchSize));

    public IEnumerable<RewardBatch> ValidationBatches()
    {
        var batches = validation.Chunk(batchSize).Select(RewardBatch.Of);
        return evalBatches is { } count ? batches.Take(count) : batches;
    }

    public BatchLoss Loss(RewardModel model, RewardBatch batch)
    {
        var (chosen, rejected) = Rewards(model, batch, target);
        var margin = chosen - rejected;
        var metrics = new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["rewards/chosen"] = chosen.detach().mean(),
            ["rewards/rejected"] = rejected.detach().mean(),
            ["rewards/margin"] = margin.detach().mean(),
            ["rewards/accuracy"] = margin.detach().gt(0).to(ScalarType.Float32).mean(),
        };
        // Bradley-Terry: the probability that chosen beats rejected is σ(r_chosen − r_rejected).
        return new BatchLoss(-nn.functional.logsigmoid(margin).mean(), batch.Rows / 2, metrics);
    }

    /// <summary>The rewards of the chosen and the rejected answers of <paramref name="batch"/>.</summary>
    internal static (Tensor Chosen, Tensor Rejected) Rewards(RewardModel model, RewardBatch batch, Device target)
    {
        var ids = tensor(batch.Ids, [batch.Rows, batch.Length]).to(target);
        var rewards = model.call(ids, tensor(batch.Last).to(target)).to(ScalarType.Float32);
        int pairs = batch.Rows / 2;
        return (rewards[..pairs], rewards[pairs..]);
    }

    /// <summary>None: the loop's bf16 twin would need the head as well; reward models train in fp32.</summary>
    public RewardModel? CreateTwin() => null;

    public void SaveWeights(string folder, IReadOnlyDictionary<string, string> extra) => saveWeights(folder, extra);
}
