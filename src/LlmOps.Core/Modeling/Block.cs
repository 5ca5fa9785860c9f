using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace LlmOps.Core.Modeling;

/// <summary>One transformer block with pre-LayerNorm residuals (GPT-2): x + attn(ln(x)), then x + mlp(ln(x)).
/// Normalising inside the branch keeps the residual stream an identity path, which is what lets deep stacks train.</summary>
public sealed class Block : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "ln_1")] readonly LayerNorm attentionNorm;
    [ComponentName(Name = "attn")] readonly CausalSelfAttention attention;
    [ComponentName(Name = "ln_2")] readonly LayerNorm mlpNorm;
    [ComponentName(Name = "mlp")] readonly Mlp mlp;
    readonly int layer;

    /// <summary>Builds block number <paramref name="layer"/> (its index in the KV cache).</summary>
    public Block(GptConfig config, int layer) : base(nameof(Block))
    {
        ArgumentNullException.ThrowIfNull(config);
        this.layer = layer;
        attentionNorm = nn.LayerNorm(config.EmbeddingSize, bias: config.Bias);
        attention = new CausalSelfAttention(config);
        mlpNorm = nn.LayerNorm(config.EmbeddingSize, bias: config.Bias);
        mlp = new Mlp(config);
        RegisterComponents();
    }

    /// <summary>Runs the block over <paramref name="input"/> ([batch, time, embedding]) without a cache.</summary>
    public override Tensor forward(Tensor input) => Run(input, null, null, null);

    /// <summary>This block's attention over <paramref name="x"/> (the residual stream before the block), computed the
    /// explicit way (<see cref="CausalSelfAttention.Probe"/>).</summary>
    internal AttentionProbe ProbeAttention(Tensor x) => attention.Probe(attentionNorm.call(x), layer);

    /// <summary>Runs the block, reading and extending <paramref name="cache"/> when given; <paramref name="prefix"/> is
    /// prefix tuning's keys and values for this layer in an uncached pass, <paramref name="packed"/> the mask and
    /// positions of packed rows (see <see cref="CausalSelfAttention.Attend"/>).</summary>
    internal Tensor Run(Tensor x, KvCache? cache, (Tensor Keys, Tensor Values)? prefix, (Tensor Mask, Tensor Positions)? packed)
    {
        x = x + attention.Attend(attentionNorm.call(x), cache, layer, prefix, packed);
        return x + mlp.call(mlpNorm.call(x));
    }
}
