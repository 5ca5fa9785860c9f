using LlmOps.Core.FineTuning;
using LlmOps.Core.Modeling;
using LlmOps.Core.Platform;
using LlmOps.Core.Training;
using static TorchSharp.torch;

namespace LlmOps.Core.Alignment;

/// <summary>DPO's parts of the <see cref="TrainingLoop"/>: pairs in seeded epoch orders, each batch the chosen rows then
/// the rejected rows in one padded pass (trl's <c>concatenated_forward</c>), the preference loss against the frozen
/// reference's log-probs, and the implicit rewards, margin and accuracy as metrics.</summary>
sealed class PreferenceTask : ITrainingTask<Gpt, SftBatch>
{
    readonly IReadOnlyList<(SftSequence Chosen, SftSequence Rejected)> validation;
    readonly int batchSize;
    readonly int? evalBatches;
    readonly Device target;
    readonly Func<Tensor, Tensor> referenceLogits;
    readonly double beta;
    readonly PreferenceLossType type;
    readonly Action<string, IReadOnlyDictionary<string, string>> saveWeights;
    readonly bool twinnable;
    readonly PairStream stream;

    // referenceLogits: the frozen reference's logits for input ids (a separate copy of the start, or the policy with its
    // adapters disabled); called without gradients.
    public PreferenceTask(Gpt model, IReadOnlyList<(SftSequence, SftSequence)> train, IReadOnlyList<(SftSequence, SftSequence)> validation,
        int batchSize, int? evalBatches, SeedScope seeds, Device target, Func<Tensor, Tensor> referenceLogits, double beta, PreferenceLossType type,
        Action<string, IReadOnlyDictionary<string, string>> saveWeights, bool twinnable)
    {
        Model = model;
        stream = new PairStream(train, seeds);
        // A policy pass (forward and backward) and a reference pass (forward, a third of the work) per token.
        FlopsPerToken = model.EstimateFlopsPerToken() * 4 / 3;
        (this.validation, this.batchSize, this.evalBatches, this.target, this.referenceLogits, this.beta, this.type, this.saveWeights, this.twinnable) =
            (validation, batchSize, evalBatches, target, referenceLogits, beta, type, saveWeights, twinnable);
    }

    public Gpt Model { get; }

    public double FlopsPerToken { get; }

    /// <summary>The next <c>batchSize</c> pairs of a stream of epochs, each a seeded shuffle of its own: the stream
    /// depends only on the seed and the draws (what exact resume needs).</summary>
    public SftBatch NextBatch() => Batch(stream.Next(batchSize));

    public IEnumerable<SftBatch> ValidationBatches()
    {
        var batches = validation.Chunk(batchSize).Select(Batch);
        return evalBatches is { } count ? batches.Take(count) : batches;
    }

    /// <summary>The chosen answers in the first half of the rows, the rejected in the second.</summary>
    internal static SftBatch Batch(IReadOnlyList<(SftSequence Chosen, SftSequence Rejected)> pairs) =>
        SftBatch.Of([.. pairs.Select(p => p.Chosen), .. pairs.Select(p => p.Rejected)]);

    public BatchLoss Loss(Gpt model, SftBatch batch)
    {
        var x = tensor(batch.Inputs, [batch.Rows, batch.Length]).to(target);
        var y = tensor(batch.Targets, [batch.Rows, batch.Length]).to(target);
        bool average = type == PreferenceLossType.Ipo;
        var policy = PreferenceLoss.SequenceLogProbs(model.call(x), y, average);
        Tensor reference;
        using (no_grad())
            reference = PreferenceLoss.SequenceLogProbs(referenceLogits(x), y, average);
        long pairs = batch.Rows / 2;
        var (losses, chosen, rejected) = PreferenceLoss.Compute(policy[..(int)pairs], policy[(int)pairs..], reference[..(int)pairs], reference[(int)pairs..], beta, type);
        var metrics = new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["rewards/chosen"] = chosen.mean(),
            ["rewards/rejected"] = rejected.mean(),
            ["rewards/margin"] = (chosen - rejected).mean(),
            ["rewards/accuracy"] = chosen.gt(rejected).to(ScalarType.Float32).mean(),
        };
        return new BatchLoss(losses.mean(), pairs, metrics);
    }

    /// <summary>A plain GPT of the model's config, or null when the model carries a method's modules.</summary>
    public Gpt? CreateTwin() => twinnable ? new(Model.Config, seed: 0) : null;

    public void SaveWeights(string folder, IReadOnlyDictionary<string, string> extra) => saveWeights(folder, extra);
}
