using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace LlmOps.Core.Modeling;

/// <summary>
/// Multi-head causal self-attention, as in nanoGPT: one projection makes queries, keys and values for all heads;
/// <c>scaled_dot_product_attention</c> (flash or memory-efficient kernels where libtorch has them) does the masked
/// softmax; a second projection mixes the heads back into the residual stream.
/// </summary>
public sealed class CausalSelfAttention : nn.Module<Tensor, Tensor>, ILinearHost
{
    // Typed as modules, not Linear, so LoRA, adapters or quantized layers can take their place (ILinearHost).
    [ComponentName(Name = "c_attn")] nn.Module<Tensor, Tensor> queryKeyValue;
    [ComponentName(Name = "c_proj")] nn.Module<Tensor, Tensor> projection;
    [ComponentName(Name = "resid_dropout")] readonly Dropout residualDropout;
    readonly RotaryEmbedding? rotary;
    readonly int heads;
    readonly int embeddingSize;
    readonly double dropout;

    /// <summary>Builds the layer for <paramref name="config"/> (weights start uninitialised: <see cref="Gpt"/> initialises them from its own generator).</summary>
    public CausalSelfAttention(GptConfig config) : base(nameof(CausalSelfAttention))
    {
        ArgumentNullException.ThrowIfNull(config);
        heads = config.Heads;
        embeddingSize = config.EmbeddingSize;
        dropout = config.Dropout;
        queryKeyValue = Layers.Linear(embeddingSize, 3 * embeddingSize, config.Bias);
        projection = Layers.Linear(embeddingSize, embeddingSize, config.Bias);
        residualDropout = nn.Dropout(config.Dropout);
        rotary = config.Positions == PositionEncoding.Rotary ? new RotaryEmbedding(config.HeadSize) : null;
        RegisterComponents();
    }

    /// <inheritdoc/>
    public IReadOnlyList<(string Name, nn.Module<Tensor, Tensor> Layer)> Projections => [("c_attn", queryKeyValue), ("c_proj", projection)];

    /// <inheritdoc/>
    public string ResidualProjection => "c_proj";

    /// <inheritdoc/>
    public void Replace(string name, nn.Module<Tensor, Tensor> replacement)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        switch (name)
        {
            case "c_attn": queryKeyValue = replacement; break;
            case "c_proj": projection = replacement; break;
            default: throw new ArgumentException($"Attention has projections c_attn and c_proj, not '{name}'.", nameof(name));
        }
        LinearSwap.Register(this, name, replacement);
    }

    /// <summary>Attends over <paramref name="input"/> ([batch, time, embedding]) with no cache, positions from 0.</summary>
    public override Tensor forward(Tensor input) => Attend(input, null, 0);

    /// <summary>Attends with an optional KV cache: the new tokens sit after the cached ones and see all of them.</summary>
    internal Tensor Attend(Tensor x, KvCache? cache, int layer)
    {
        long batch = x.shape[0], time = x.shape[1];
        long headSize = embeddingSize / heads;
        var qkv = queryKeyValue.call(x).split(embeddingSize, dim: 2);
        var q = qkv[0].view(batch, time, heads, headSize).transpose(1, 2);
        var k = qkv[1].view(batch, time, heads, headSize).transpose(1, 2);
        var v = qkv[2].view(batch, time, heads, headSize).transpose(1, 2);

        int offset = cache?.Length ?? 0;
        if (rotary is not null)
        {
            q = rotary.Apply(q, offset);
            k = rotary.Apply(k, offset);
        }

        Tensor? mask = null;
        bool causal = time > 1;
        if (cache is not null)
        {
            (k, v) = cache.Append(layer, k, v);
            if (offset > 0)
            {
                // New queries sit at offset..offset+time-1: each sees every cached key and the new ones up to itself.
                // is_causal would align the triangle top-left, so pass the bottom-right-aligned mask instead.
                causal = false;
                if (time > 1)
                    mask = ones(time, offset + time, dtype: ScalarType.Bool, device: x.device).tril(offset);
            }
        }

        var y = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask: mask, p: training ? dropout : 0, is_casual: causal);
        y = y.transpose(1, 2).contiguous().view(batch, time, embeddingSize);
        return residualDropout.call(projection.call(y));
    }
}
