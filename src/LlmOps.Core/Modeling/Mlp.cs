using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace LlmOps.Core.Modeling;

/// <summary>The position-wise feed-forward network: widen 4x, GELU, project back (GPT-2's shape).</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "c_fc")] readonly Linear expand;
    [ComponentName(Name = "c_proj")] readonly Linear projection;
    [ComponentName(Name = "dropout")] readonly Dropout dropout;

    /// <summary>Builds the layer for <paramref name="config"/> (weights are initialised by <see cref="Gpt"/>).</summary>
    public Mlp(GptConfig config) : base(nameof(Mlp))
    {
        ArgumentNullException.ThrowIfNull(config);
        expand = nn.Linear(config.EmbeddingSize, 4 * config.EmbeddingSize, hasBias: config.Bias);
        projection = nn.Linear(4 * config.EmbeddingSize, config.EmbeddingSize, hasBias: config.Bias);
        dropout = nn.Dropout(config.Dropout);
        RegisterComponents();
    }

    /// <summary>Applies the network to every position of <paramref name="input"/> independently.</summary>
    public override Tensor forward(Tensor input) => dropout.call(projection.call(nn.functional.gelu(expand.call(input))));
}
