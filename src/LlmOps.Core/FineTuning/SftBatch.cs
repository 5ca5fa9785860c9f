namespace LlmOps.Core.FineTuning;

/// <summary>A micro-batch of examples, right-padded to its longest (padding is never a target, and causal attention
/// keeps it from reaching the real tokens before it).</summary>
/// <param name="Inputs">[Rows × Length] input ids, row-major.</param>
/// <param name="Targets">[Rows × Length] targets; -1 for prompt and padding.</param>
/// <param name="Rows">Examples.</param>
/// <param name="Length">Positions per row.</param>
public sealed record SftBatch(long[] Inputs, long[] Targets, int Rows, int Length)
{
    /// <summary>Pads <paramref name="sequences"/> into one batch.</summary>
    public static SftBatch Of(IReadOnlyList<SftSequence> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        int length = sequences.Max(s => s.Ids.Length - 1);
        var inputs = new long[sequences.Count * length];
        var targets = new long[sequences.Count * length];
        Array.Fill(targets, -1L);
        for (int r = 0; r < sequences.Count; r++)
        {
            sequences[r].Inputs().CopyTo(inputs, r * length);
            sequences[r].Targets().CopyTo(targets, r * length);
        }
        return new SftBatch(inputs, targets, sequences.Count, length);
    }

    /// <summary>Target tokens (the answer tokens the loss averages over).</summary>
    public long TargetCount => Targets.LongCount(t => t >= 0);
}
