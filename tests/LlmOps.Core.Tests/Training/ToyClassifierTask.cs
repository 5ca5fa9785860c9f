using LlmOps.Core.Platform;
using LlmOps.Core.Training;
using static TorchSharp.torch;

namespace LlmOps.Core.Tests.Training;

/// <summary>A second trainer on the <see cref="TrainingLoop"/>, nothing like pretraining: three Gaussian blobs in 8
/// dimensions, a classifier head, cross entropy plus accuracy as an extra metric, weights in TorchSharp's own format.
/// It supplies only its batch, loss and weights; resume, checkpoints, the NaN stop and cancellation come from the loop.</summary>
sealed class ToyClassifierTask : ITrainingTask<ToyClassifier, ToyClassifierTask.Batch>
{
    public const string WeightsFile = "classifier.bin";
    public const int BatchRows = 16;

    /// <summary>Rows of features and their class.</summary>
    public sealed record Batch(float[] Features, long[] Labels);

    readonly Random train;
    readonly Batch[] validation;
    readonly long poisonedDraw;
    long drawn;

    /// <param name="model">The classifier to train.</param>
    /// <param name="seeds">The loop's seeds: the training stream and the validation set derive from them.</param>
    /// <param name="poisonedDraw">The draw (1-based) whose inputs are NaN, to make the loss diverge for real; 0 for none.</param>
    public ToyClassifierTask(ToyClassifier model, SeedScope seeds, long poisonedDraw = 0)
    {
        Model = model;
        FlopsPerToken = 6.0 * model.parameters().Sum(p => p.numel());
        train = seeds.Random(SeedScope.DataOrder);
        var held = seeds.Random("toy-validation");
        validation = [.. Enumerable.Range(0, 3).Select(_ => Draw(held, 32))];
        this.poisonedDraw = poisonedDraw;
    }

    public ToyClassifier Model { get; }

    public double FlopsPerToken { get; }

    public Batch NextBatch()
    {
        var batch = Draw(train, BatchRows);
        if (++drawn == poisonedDraw)
            Array.Fill(batch.Features, float.NaN);
        return batch;
    }

    public IEnumerable<Batch> ValidationBatches() => validation;

    public BatchLoss Loss(ToyClassifier model, Batch batch)
    {
        var x = tensor(batch.Features, new long[] { batch.Labels.Length, ToyClassifier.Features });
        var y = tensor(batch.Labels);
        var logits = model.call(x);
        var accuracy = logits.argmax(1).eq(y).to(ScalarType.Float32).mean();
        return new BatchLoss(nn.functional.cross_entropy(logits, y), batch.Labels.Length, new Dictionary<string, Tensor> { ["accuracy"] = accuracy });
    }

    public ToyClassifier? CreateTwin() => null;

    public void SaveWeights(string folder, IReadOnlyDictionary<string, string> extra) => Model.save(Path.Combine(folder, WeightsFile));

    /// <summary>Rows around class centres 2·e_c with unit noise (Box-Muller), so the classes overlap a little.</summary>
    static Batch Draw(Random random, int rows)
    {
        var features = new float[rows * ToyClassifier.Features];
        var labels = new long[rows];
        for (int r = 0; r < rows; r++)
        {
            labels[r] = random.Next(ToyClassifier.Classes);
            for (int f = 0; f < ToyClassifier.Features; f++)
            {
                double noise = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                features[(r * ToyClassifier.Features) + f] = (float)((f == labels[r] ? 2.0 : 0.0) + noise);
            }
        }
        return new Batch(features, labels);
    }
}
