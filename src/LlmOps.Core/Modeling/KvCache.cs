using static TorchSharp.torch;

namespace LlmOps.Core.Modeling;

/// <summary>
/// Keys and values of every layer for the tokens seen so far, so generation feeds one new token per step instead of
/// the whole context (prefill once, then O(T) per token instead of O(T²)). Buffers are preallocated to the model's
/// block size and owned by the cache, outside any dispose scope: dispose the cache when generation ends.
/// </summary>
/// <remarks>Inference only: the model fills it under <c>no_grad</c>.</remarks>
public sealed class KvCache : IDisposable
{
    readonly Tensor?[] keys;
    readonly Tensor?[] values;

    /// <summary>An empty cache for a model with <paramref name="layers"/> blocks and context <paramref name="capacity"/>.</summary>
    public KvCache(int layers, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        keys = new Tensor?[layers];
        values = new Tensor?[layers];
        Capacity = capacity;
    }

    /// <summary>Tokens the cache can hold: the model's block size.</summary>
    public int Capacity { get; }

    /// <summary>Tokens cached so far; also the position of the next token.</summary>
    public int Length { get; private set; }

    /// <summary>Writes this step's keys and values ([batch, heads, time, head size]) for <paramref name="layer"/> after
    /// the cached ones and returns views of everything cached including them.</summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor k, Tensor v)
    {
        long time = k.shape[2];
        if (Length + time > Capacity)
            throw new InvalidOperationException($"The KV cache holds {Capacity} tokens; {Length} are cached and {time} more do not fit.");
        if (keys[layer] is null || keys[layer]!.shape[0] != k.shape[0])
        {
            keys[layer]?.Dispose();
            values[layer]?.Dispose();
            keys[layer] = zeros([k.shape[0], k.shape[1], Capacity, k.shape[3]], dtype: k.dtype, device: k.device).DetachFromDisposeScope();
            values[layer] = zeros([v.shape[0], v.shape[1], Capacity, v.shape[3]], dtype: v.dtype, device: v.device).DetachFromDisposeScope();
        }
        using (var slot = keys[layer]!.narrow(2, Length, time))
            slot.copy_(k);
        using (var slot = values[layer]!.narrow(2, Length, time))
            slot.copy_(v);
        return (keys[layer]!.narrow(2, 0, Length + time), values[layer]!.narrow(2, 0, Length + time));
    }

    /// <summary>Marks <paramref name="tokens"/> more positions as filled, once every layer has appended them.</summary>
    internal void Advance(int tokens) => Length += tokens;

    /// <summary>Forgets the cached tokens (keeps the buffers), for a fresh prefill.</summary>
    public void Reset() => Length = 0;

    /// <summary>Frees the buffers.</summary>
    public void Dispose()
    {
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i]?.Dispose();
            values[i]?.Dispose();
            keys[i] = values[i] = null;
        }
    }
}
