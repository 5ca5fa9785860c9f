namespace LlmOps.Core.FineTuning;

/// <summary>A micro-batch: one example per row, right-padded to the longest (padding is never a target, and causal
/// attention keeps it from reaching the real tokens before it); or, packed, several examples per row back to back,
/// with <see cref="Packed"/> saying where each starts so attention never crosses from one to the next.</summary>
/// <param name="Inputs">[Rows × Length] input ids, row-major.</param>
/// <param name="Targets">[Rows × Length] targets; -1 for prompt and padding.</param>
/// <param name="Rows">Rows (examples, when not packed).</param>
/// <param name="Length">Positions per row.</param>
/// <param name="Packed">Per row, the input lengths of the examples packed into it, in order; null when not packed.</param>
public sealed record SftBatch(long[] Inputs, long[] Targets, int Rows, int Length, IReadOnlyList<IReadOnlyList<int>>? Packed = null)
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

    /// <summary>Packs <paramref name="rows"/> (each a list of examples that fit the context together) into one batch:
    /// each row's examples back to back, then padding to the longest row.</summary>
    public static SftBatch Pack(IReadOnlyList<IReadOnlyList<SftSequence>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var lengths = rows.Select(r => (IReadOnlyList<int>)[.. r.Select(s => s.Ids.Length - 1)]).ToList();
        int length = lengths.Max(l => l.Sum());
        var inputs = new long[rows.Count * length];
        var targets = new long[rows.Count * length];
        Array.Fill(targets, -1L);
        for (int r = 0; r < rows.Count; r++)
        {
            int at = r * length;
            foreach (var sequence in rows[r])
            {
                sequence.Inputs().CopyTo(inputs, at);
                sequence.Targets().CopyTo(targets, at);
                at += sequence.Ids.Length - 1;
            }
        }
        return new SftBatch(inputs, targets, rows.Count, length, lengths);
    }

    /// <summary>Target tokens (the answer tokens the loss averages over).</summary>
    public long TargetCount => Targets.LongCount(t => t >= 0);
}
