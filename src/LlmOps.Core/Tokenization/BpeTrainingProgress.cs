namespace LlmOps.Core.Tokenization;

/// <summary>A BPE training run in flight, shown through the display hook and updated in place a few times a second.</summary>
/// <param name="Phase"><c>counting</c> while the corpus is split into chunks, <c>merging</c> while merges are learned,
/// <c>done</c> at the end.</param>
/// <param name="Megabytes">Megabytes of UTF-8 text counted so far.</param>
/// <param name="MergesDone">Merges learned so far.</param>
/// <param name="MergesTotal">Merges the target vocabulary size asks for.</param>
/// <param name="ElapsedSeconds">Wall time so far.</param>
public sealed record BpeTrainingProgress(string Phase, double Megabytes, int MergesDone, int MergesTotal, double ElapsedSeconds)
{
    /// <summary>Share of the merges done (0 while counting).</summary>
    public double Fraction => MergesTotal == 0 ? 0 : (double)MergesDone / MergesTotal;
}
