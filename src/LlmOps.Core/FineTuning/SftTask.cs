using LlmOps.Core.Modeling;
using LlmOps.Core.Platform;
using LlmOps.Core.Training;
using static TorchSharp.torch;

namespace LlmOps.Core.FineTuning;

/// <summary>Supervised fine-tuning's parts of the <see cref="TrainingLoop"/>: examples in seeded epoch orders, padded
/// batches, cross entropy on the answer tokens only, weights as the method keeps them (a <see cref="GptCheckpoint"/>
/// for full fine-tuning, a <see cref="PeftCheckpoint"/> for PEFT).</summary>
sealed class SftTask : ITrainingTask<Gpt, SftBatch>
{
    readonly IReadOnlyList<SftSequence> train;
    readonly IReadOnlyList<SftSequence> validation;
    readonly int batchSize;
    readonly int? evalBatches;
    readonly SeedScope seeds;
    readonly Device target;
    readonly Action<string, IReadOnlyDictionary<string, string>> saveWeights;
    readonly bool twinnable;
    int[] order = [];
    int epoch = -1;
    int position;

    public SftTask(Gpt model, IReadOnlyList<SftSequence> train, IReadOnlyList<SftSequence> validation, int batchSize, int? evalBatches,
        SeedScope seeds, Device target, Action<string, IReadOnlyDictionary<string, string>> saveWeights, bool twinnable)
    {
        Model = model;
        FlopsPerToken = model.EstimateFlopsPerToken();
        (this.train, this.validation, this.batchSize, this.evalBatches, this.seeds, this.target, this.saveWeights, this.twinnable) =
            (train, validation, batchSize, evalBatches, seeds, target, saveWeights, twinnable);
    }

    public Gpt Model { get; }

    public double FlopsPerToken { get; }

    /// <summary>The next <c>batchSize</c> examples of a stream of epochs, each a seeded shuffle of its own, so the
    /// stream depends only on the seed and how many batches were drawn (what exact resume needs).</summary>
    public SftBatch NextBatch()
    {
        var rows = new List<SftSequence>(batchSize);
        while (rows.Count < batchSize)
        {
            if (position >= order.Length)
            {
                epoch++;
                order = seeds.Shuffle(Enumerable.Range(0, train.Count), $"{SeedScope.DataOrder}-epoch-{epoch}");
                position = 0;
            }
            rows.Add(train[order[position++]]);
        }
        return SftBatch.Of(rows);
    }

    public IEnumerable<SftBatch> ValidationBatches()
    {
        var batches = validation.Chunk(batchSize).Select(SftBatch.Of);
        return evalBatches is { } count ? batches.Take(count) : batches;
    }

    public BatchLoss Loss(Gpt model, SftBatch batch) => new(LossAndLogits(model, batch, target).Loss, batch.TargetCount);

    /// <summary>The loss the task trains on, with the logits it came from (so a test can look at their gradient).</summary>
    internal static (Tensor Loss, Tensor Logits) LossAndLogits(Gpt model, SftBatch batch, Device target)
    {
        var x = tensor(batch.Inputs, [batch.Rows, batch.Length]).to(target);
        var y = tensor(batch.Targets, [batch.Rows, batch.Length]).to(target);
        var logits = model.call(x);
        // In fp32 whatever the pass ran in; targets of -1 (prompt, padding) are ignored, so only answers carry gradient.
        return (Gpt.CrossEntropy(logits.to(ScalarType.Float32), y), logits);
    }

    /// <summary>A plain GPT of the model's config, or null when the model carries a method's modules that a twin built
    /// from the config would lack.</summary>
    public Gpt? CreateTwin() => twinnable ? new(Model.Config, seed: 0) : null;

    /// <summary>Whatever the method keeps: the whole model for full fine-tuning, the trained tensors for PEFT.</summary>
    public void SaveWeights(string folder, IReadOnlyDictionary<string, string> extra) => saveWeights(folder, extra);
}
