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

    /// <summary>
    /// Attention over <paramref name="input"/> ([batch, time, embedding], positions from 0) in eval mode, the explicit
    /// way: scores QKᵀ/√d per head, −∞ where the causal mask hides a key, softmax over the keys, the weighted sum of the
    /// values, the output projection. Returns the mask and weights that the fused kernel keeps to itself, and how far
    /// the explicit output is from the fused one (<see cref="AttentionProbe.SdpaDifference"/>).
    /// </summary>
    /// <param name="input">The block's normalised residual stream (what <c>ln_1</c> hands this layer).</param>
    /// <param name="layer">The block's index, recorded in the probe.</param>
    public AttentionProbe Probe(Tensor input, int layer = 0)
    {
        ArgumentNullException.ThrowIfNull(input);
        bool wasTraining = training;
        eval();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            long batch = input.shape[0], time = input.shape[1];
            long headSize = embeddingSize / heads;
            var (q, k, v) = QueriesKeysValues(input);
            if (rotary is not null)
            {
                q = rotary.Apply(q, 0);
                k = rotary.Apply(k, 0);
            }
            var mask = ones(time, time, dtype: ScalarType.Bool, device: input.device).tril();
            var scores = q.matmul(k.transpose(-2, -1)) / Math.Sqrt(headSize);
            var weights = scores.masked_fill(mask.logical_not(), double.NegativeInfinity).softmax(-1);
            var mixed = weights.matmul(v).transpose(1, 2).contiguous().view(batch, time, embeddingSize);
            var output = projection.call(mixed);
            var fused = Attend(input, null, 0);
            double difference = (output - fused).abs().max().to(ScalarType.Float64).item<double>();
            return new AttentionProbe(layer, mask.MoveToOuterDisposeScope(), weights.MoveToOuterDisposeScope(), output.MoveToOuterDisposeScope(), difference);
        }
        finally
        {
            train(wasTraining);
        }
    }

    /// <summary>Attends with an optional KV cache: the new tokens sit after the cached ones and see all of them.
    /// Without a cache, <paramref name="prefix"/> ([batch, heads, N, head size] keys and values) plays the cached
    /// tokens' part: the new tokens sit at positions N.. and see the whole prefix. Prefix keys are used as given, not
    /// rotated: they are learned already positioned.</summary>
    internal Tensor Attend(Tensor x, KvCache? cache, int layer, (Tensor Keys, Tensor Values)? prefix = null, (Tensor Mask, Tensor Positions)? packed = null)
    {
        long batch = x.shape[0], time = x.shape[1];
        var (q, k, v) = QueriesKeysValues(x);

        int offset = cache?.Length ?? (int)(prefix?.Keys.shape[2] ?? 0);
        if (rotary is not null)
        {
            q = packed is null ? rotary.Apply(q, offset) : rotary.Apply(q, packed.Value.Positions);
            k = packed is null ? rotary.Apply(k, offset) : rotary.Apply(k, packed.Value.Positions);
        }

        Tensor? mask = null;
        bool causal = time > 1;
        if (packed is { } examples)
        {
            // Packed rows: each example attends to its own earlier tokens only (a block-diagonal causal mask).
            mask = examples.Mask;
            causal = false;
        }
        else if (cache is not null)
        {
            (k, v) = cache.Append(layer, k, v);
        }
        else if (prefix is { } past)
        {
            k = cat([past.Keys, k], 2);
            v = cat([past.Values, v], 2);
        }
        if (offset > 0)
        {
            // New queries sit at offset..offset+time-1: each sees every earlier key and the new ones up to itself.
            // is_causal would align the triangle top-left, so pass the bottom-right-aligned mask instead.
            causal = false;
            if (time > 1)
                mask = ones(time, offset + time, dtype: ScalarType.Bool, device: x.device).tril(offset);
        }

        var y = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask: mask, p: training ? dropout : 0, is_casual: causal);
        y = y.transpose(1, 2).contiguous().view(batch, time, embeddingSize);
        return residualDropout.call(projection.call(y));
    }

    /// <summary>c_attn's output split into queries, keys and values, each [batch, heads, time, head size]: the one
    /// projection the fused pass and the probe share.</summary>
    (Tensor Queries, Tensor Keys, Tensor Values) QueriesKeysValues(Tensor x)
    {
        long batch = x.shape[0], time = x.shape[1];
        long headSize = embeddingSize / heads;
        var qkv = queryKeyValue.call(x).split(embeddingSize, dim: 2);
        return (qkv[0].view(batch, time, heads, headSize).transpose(1, 2),
            qkv[1].view(batch, time, heads, headSize).transpose(1, 2),
            qkv[2].view(batch, time, heads, headSize).transpose(1, 2));
    }
}
