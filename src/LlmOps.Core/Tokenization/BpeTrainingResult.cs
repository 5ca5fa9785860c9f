namespace LlmOps.Core.Tokenization;

/// <summary>What a training run produced and what it cost, so a notebook can show both the vocabulary and the speed.</summary>
/// <param name="Model">The trained tokenizer (save it with <see cref="TokenizerFolder.Save"/>).</param>
/// <param name="Merges">Every merge in the order it was learned.</param>
/// <param name="Bytes">UTF-8 bytes of text read.</param>
/// <param name="Chunks">Chunks the pattern cut the text into.</param>
/// <param name="DistinctChunks">Distinct chunks: what the merge phase works on.</param>
/// <param name="CountSeconds">Time spent reading and counting chunks.</param>
/// <param name="MergeSeconds">Time spent learning merges.</param>
public sealed record BpeTrainingResult(
    BpeTokenizerModel Model,
    IReadOnlyList<BpeMerge> Merges,
    long Bytes,
    long Chunks,
    int DistinctChunks,
    double CountSeconds,
    double MergeSeconds)
{
    /// <summary>Total wall time.</summary>
    public double Seconds => CountSeconds + MergeSeconds;

    /// <summary>Throughput in megabytes of text per second.</summary>
    public double MegabytesPerSecond => Seconds <= 0 ? 0 : Bytes / 1e6 / Seconds;
}
