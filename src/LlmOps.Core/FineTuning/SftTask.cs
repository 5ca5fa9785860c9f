using LlmOps.Core.Modeling;
using LlmOps.Core.Platform;
using LlmOps.Core.Training;
using static TorchSharp.torch;

namespace LlmOps.Core.FineTuning;

/// <summary>Supervised fine-tuning's parts of the <see cref="TrainingLoop"/>: examples in seeded epoch orders, padded
/// or packed batches, cross entropy on the answer tokens only, weights as the method keeps them (a
/// <see cref="GptCheckpoint"/> for full fine-tuning, a <see cref="PeftCheckpoint"/> for PEFT).</summary>
sealed class SftTask : ITrainingTask<Gpt, SftBatch>
{
    readonly IReadOnlyList<SftSequence> train;
    readonly IReadOnlyList<SftSequence> validation;
    readonly int batchSize;
    readonly int? evalBatches;
    readonly int? packInto;
    readonly SeedScope seeds;
    readonly Device target;
    readonly Action<string, IReadOnlyDictionary<string, string>> saveWeights;
    readonly bool twinnable;
    int[] order = [];
    int epoch = -1;
    int position;

    // packInto: when set, each training row packs examples back to back up to this many positions (the model's
    // context); null is one example per row. Validation batches are never packed: the loss is the same either way,
    // and fixed batches keep the curve comparable between packed and unpacked runs.
    public SftTask(Gpt model, IReadOnlyList<SftSequence> train, IReadOnlyList<SftSequence> validation, int batchSize, int? evalBatches,
        SeedScope seeds, Device target, Action<string, IReadOnlyDictionary<string, string>> saveWeights, bool twinnable, int? packInto = null)
    {
        Model = model;
        FlopsPerToken = model.EstimateFlopsPerToken();
        (this.train, this.validation, this.batchSize, this.evalBatches, this.seeds, this.target, this.saveWeights, this.twinnable, this.packInto) =
            (train, validation, batchSize, evalBatches, seeds, target, saveWeights, twinnable, packInto);
    }

    public Gpt Model { get; }

    public double FlopsPerToken { get; }

    /// <summary>The next <c>batchSize</c> examples of a stream of epochs, each a seeded shuffle of its own, so the
    /// stream depends only on the seed and how many batches were drawn (what exact resume needs).</summary>
    /// <remarks>Packed, a row takes examples in stream order while the next one fits (trl's greedy packing): the stream
    /// is the same as unpacked, only cut into rows differently.</remarks>
    public SftBatch NextBatch()
    {
        if (packInto is not { } context)
        {
            var rows = new List<SftSequence>(batchSize);
            while (rows.Count < batchSize)
                rows.Add(NextExample());
            return SftBatch.Of(rows);
        }
        var packed = new List<IReadOnlyList<SftSequence>>(batchSize);
        while (packed.Count < batchSize)
        {
            var row = new List<SftSequence> { NextExample() };
            int used = row[0].Ids.Length - 1;
            while (used + PeekExample().Ids.Length - 1 <= context)
            {
                var next = NextExample();
                row.Add(next);
                used += next.Ids.Length - 1;
            }
            packed.Add(row);
        }
        return SftBatch.Pack(packed);
    }

    SftSequence NextExample()
    {
        var example = PeekExample();
        position++;
        return example;
    }

    SftSequence PeekExample()
    {
        if (position >= order.Length)
        {
            epoch++;
            order = seeds.Shuffle(Enumerable.Range(0, train.Count), $"{SeedScope.DataOrder}-epoch-{epoch}");
            position = 0;
        }
        return train[order[position]];
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
        var logits = batch.Packed is { } lengths ? model.Logits(x, PackedSequences.FromLengths(lengths, batch.Length, target)) : model.call(x);
        // In fp32 whatever the pass ran in; targets of -1 (prompt, padding) are ignored, so only answers carry gradient.
        return (Gpt.CrossEntropy(logits.to(ScalarType.Float32), y), logits);
    }

    /// <summary>A plain GPT of the model's config, or null when the model carries a method's modules that a twin built
    /// from the config would lack.</summary>
    public Gpt? CreateTwin() => twinnable ? new(Model.Config, seed: 0) : null;

    /// <summary>Whatever the method keeps: the whole model for full fine-tuning, the trained tensors for PEFT.</summary>
    public void SaveWeights(string folder, IReadOnlyDictionary<string, string> extra) => saveWeights(folder, extra);
}
