using static TorchSharp.torch;

namespace LlmOps.Core.Modeling;

/// <summary>
/// Rotary position embedding (RoPE): rotates each pair of query/key dimensions by an angle proportional to the
/// token's position, so a query·key product depends only on how far apart the tokens are. Uses the "rotate half"
/// pairing (dimension i with i + d/2) of GPT-NeoX and Llama.
/// </summary>
/// <remarks>The angles are computed per call rather than held as module buffers: TorchSharp re-registers buffers as
/// persistent when a module moves device, which would put them into checkpoints; recomputing a [T, d/2] table is
/// negligible next to attention.</remarks>
public sealed class RotaryEmbedding
{
    readonly float[] inverseFrequencies;

    /// <summary>Prepares the frequencies for heads of width <paramref name="headSize"/>.</summary>
    /// <param name="headSize">Even head width.</param>
    /// <param name="theta">Base of the geometric frequency ladder (10,000 in the paper).</param>
    public RotaryEmbedding(int headSize, double theta = 10_000)
    {
        if (headSize < 2 || headSize % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(headSize), headSize, "Rotary embeddings need an even head size.");
        HeadSize = headSize;
        inverseFrequencies = new float[headSize / 2];
        for (int i = 0; i < inverseFrequencies.Length; i++)
            inverseFrequencies[i] = (float)(1.0 / Math.Pow(theta, 2.0 * i / headSize));
    }

    /// <summary>The head width this table rotates.</summary>
    public int HeadSize { get; }

    /// <summary>Rotates <paramref name="x"/> ([batch, heads, time, head size]) as if its first token sat at
    /// position <paramref name="offset"/>; the offset is what lets a KV cache add one token at a time.</summary>
    public Tensor Apply(Tensor x, long offset)
    {
        ArgumentNullException.ThrowIfNull(x);
        long time = x.shape[^2];
        using var positions = arange(offset, offset + time, dtype: ScalarType.Float32, device: x.device);
        using var frequencies = tensor(inverseFrequencies, device: x.device);
        using var angles = outer(positions, frequencies);
        return Rotate(x, angles);
    }

    /// <summary>Rotates <paramref name="x"/> ([batch, heads, time, head size]) by each token's own position
    /// (<paramref name="positions"/>, [batch, time]): packed rows, where positions restart at every example.</summary>
    public Tensor Apply(Tensor x, Tensor positions)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(positions);
        using var frequencies = tensor(inverseFrequencies, device: x.device);
        using var at = positions.to(ScalarType.Float32);
        using var angles = at.unsqueeze(-1) * frequencies; // [batch, time, d/2]
        using var perHead = angles.unsqueeze(1);          // broadcast over heads
        return Rotate(x, perHead);
    }

    Tensor Rotate(Tensor x, Tensor angles)
    {
        int half = HeadSize / 2;
        using var cos = angles.cos().to(x.dtype);
        using var sin = angles.sin().to(x.dtype);
        using var x1 = x.narrow(-1, 0, half);
        using var x2 = x.narrow(-1, half, half);
        return cat([x1 * cos - x2 * sin, x1 * sin + x2 * cos], -1);
    }
}
