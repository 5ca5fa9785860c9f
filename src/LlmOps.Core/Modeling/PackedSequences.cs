using static TorchSharp.torch;

namespace LlmOps.Core.Modeling;

/// <summary>
/// Several short examples packed into each row of a batch (trl's <c>packing</c> with per-example position ids): which
/// example every position belongs to and its position within that example. A forward pass given this restarts
/// positions at each example and masks attention to the example's own earlier tokens, so a packed row computes
/// exactly what each example computes alone, without the padding an unpacked batch carries.
/// </summary>
/// <param name="Segments">[batch, time] int64: the example each position belongs to, numbered within its row; padding
/// after the last example gets a segment of its own.</param>
/// <param name="Positions">[batch, time] int64: each position's index within its example, from 0.</param>
public sealed record PackedSequences(Tensor Segments, Tensor Positions)
{
    /// <summary>Builds the tensors from per-row example lengths: row r holds examples of <c>lengths[r][i]</c> tokens
    /// one after another, then padding up to <paramref name="time"/>.</summary>
    public static PackedSequences FromLengths(IReadOnlyList<IReadOnlyList<int>> lengths, int time, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        var segments = new long[lengths.Count * time];
        var positions = new long[lengths.Count * time];
        for (int row = 0; row < lengths.Count; row++)
        {
            int at = 0;
            for (int example = 0; example < lengths[row].Count; example++)
            {
                if (at + lengths[row][example] > time)
                    throw new ArgumentException($"Row {row}'s examples take more than {time} positions.", nameof(lengths));
                for (int i = 0; i < lengths[row][example]; i++, at++)
                    (segments[row * time + at], positions[row * time + at]) = (example, i);
            }
            for (int i = 0; at < time; i++, at++)
                (segments[row * time + at], positions[row * time + at]) = (lengths[row].Count, i);
        }
        return new PackedSequences(tensor(segments, [lengths.Count, time], device: device), tensor(positions, [lengths.Count, time], device: device));
    }

    /// <summary>[batch, 1, time, time] boolean: a query sees a key when both sit in the same example and the key is
    /// not after the query (a block-diagonal causal mask, as scaled_dot_product_attention takes it).</summary>
    internal Tensor AttentionMask()
    {
        long time = Segments.shape[1];
        using var same = Segments.unsqueeze(2).eq(Segments.unsqueeze(1));
        using var causal = ones(time, time, dtype: ScalarType.Bool, device: Segments.device).tril();
        return same.logical_and(causal).unsqueeze(1);
    }
}
