using LlmOps.Core.FineTuning;

namespace LlmOps.Core.Alignment;

/// <summary>A reward model's micro-batch: whole conversations (prompt, answer, end of turn), the chosen answers in the
/// first half of the rows and the rejected in the second, right-padded, with each row's last real position.</summary>
/// <param name="Ids">[Rows × Length] token ids, row-major; padding is 0 and never read.</param>
/// <param name="Last">[Rows] the index of each row's last real token.</param>
/// <param name="Rows">Rows (twice the pairs).</param>
/// <param name="Length">Positions per row.</param>
public sealed record RewardBatch(long[] Ids, long[] Last, int Rows, int Length)
{
    /// <summary>Pads <paramref name="pairs"/> into one batch.</summary>
    public static RewardBatch Of(IReadOnlyList<(SftSequence Chosen, SftSequence Rejected)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        SftSequence[] rows = [.. pairs.Select(p => p.Chosen), .. pairs.Select(p => p.Rejected)];
        int length = rows.Max(r => r.Ids.Length);
        var ids = new long[rows.Length * length];
        for (int r = 0; r < rows.Length; r++)
            for (int t = 0; t < rows[r].Ids.Length; t++)
                ids[(r * length) + t] = rows[r].Ids[t];
        return new RewardBatch(ids, [.. rows.Select(r => (long)r.Ids.Length - 1)], rows.Length, length);
    }
}
