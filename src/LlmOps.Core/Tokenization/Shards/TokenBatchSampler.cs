using LlmOps.Core.Platform;

namespace LlmOps.Core.Tokenization.Shards;

/// <summary>
/// Draws random training batches from a <see cref="TokenDataset"/> with its own seeded stream, so a run's data order
/// follows from its seed alone and does not shift when other code draws random numbers (dropout, init).
/// Not thread-safe: one sampler per training loop.
/// </summary>
public sealed class TokenBatchSampler
{
    readonly TokenDataset dataset;
    readonly Random random;

    /// <summary>A sampler of <paramref name="batchSize"/>×<paramref name="blockSize"/> batches.</summary>
    /// <param name="dataset">The corpus.</param>
    /// <param name="batchSize">Rows per batch (B).</param>
    /// <param name="blockSize">Tokens per row (T).</param>
    /// <param name="seed">The run's seed scope; the stream is <paramref name="purpose"/>'s.</param>
    /// <param name="purpose">Which derived stream to draw from; the default is the data order, so a different split
    /// (validation sampling) can pass its own name.</param>
    public TokenBatchSampler(TokenDataset dataset, int batchSize, int blockSize, SeedScope seed, string purpose = SeedScope.DataOrder)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        if (dataset.Count <= blockSize)
            throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, $"The corpus has {dataset.Count} tokens; a window of {blockSize} needs at least {blockSize + 1}.");
        this.dataset = dataset;
        BatchSize = batchSize;
        BlockSize = blockSize;
        random = seed.Random(purpose);
    }

    /// <summary>Rows per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Tokens per row.</summary>
    public int BlockSize { get; }

    /// <summary>Batches drawn so far: with the seed, enough to resume the same order after a restart (draw and discard).</summary>
    public long Drawn { get; private set; }

    /// <summary>The next batch.</summary>
    public TokenBatch Next()
    {
        Drawn++;
        return dataset.Batch(BatchSize, BlockSize, random);
    }
}
