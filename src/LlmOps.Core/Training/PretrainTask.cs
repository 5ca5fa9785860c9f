using LlmOps.Core.Modeling;
using LlmOps.Core.Tokenization.Shards;
using static TorchSharp.torch;

namespace LlmOps.Core.Training;

/// <summary>Pretraining's parts of the <see cref="TrainingLoop"/>: random windows of the token shards from the seeded
/// sampler, next-token cross entropy, the first validation windows, weights as a <see cref="GptCheckpoint"/>.</summary>
sealed class PretrainTask : ITrainingTask<Gpt, TokenBatch>
{
    readonly TokenBatchSampler sampler;
    readonly TokenDataset validation;
    readonly int evalBatches;
    readonly Device target;
    readonly CheckpointMetadata metadata;

    public PretrainTask(Gpt model, TokenBatchSampler sampler, TokenDataset validation, int evalBatches, Device target, CheckpointMetadata metadata)
    {
        Model = model;
        FlopsPerToken = model.EstimateFlopsPerToken();
        (this.sampler, this.validation, this.evalBatches, this.target, this.metadata) = (sampler, validation, evalBatches, target, metadata);
    }

    public Gpt Model { get; }

    public double FlopsPerToken { get; }

    public TokenBatch NextBatch() => sampler.Next();

    public IEnumerable<TokenBatch> ValidationBatches() => validation.Sequential(sampler.BatchSize, sampler.BlockSize).Take(evalBatches);

    public BatchLoss Loss(Gpt model, TokenBatch batch)
    {
        var x = tensor(batch.Inputs, new long[] { batch.BatchSize, batch.BlockSize }).to(target);
        var y = tensor(batch.Targets, new long[] { batch.BatchSize, batch.BlockSize }).to(target);
        var logits = model.call(x);
        // The loss in fp32 whatever the pass ran in.
        return new BatchLoss(Gpt.CrossEntropy(logits.to(ScalarType.Float32), y), batch.BatchSize);
    }

    public Gpt? CreateTwin() => new(Model.Config, seed: 0);

    public void SaveWeights(string folder, IReadOnlyDictionary<string, string> extra) =>
        GptCheckpoint.Save(folder, Model, metadata with { Extra = extra });
}
