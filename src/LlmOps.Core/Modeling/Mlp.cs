using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace LlmOps.Core.Modeling;

/// <summary>The position-wise feed-forward network: widen 4x, GELU, project back (GPT-2's shape).</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>, ILinearHost
{
    // Typed as modules, not Linear, so LoRA, adapters or quantized layers can take their place (ILinearHost).
    [ComponentName(Name = "c_fc")] nn.Module<Tensor, Tensor> expand;
    [ComponentName(Name = "c_proj")] nn.Module<Tensor, Tensor> projection;
    [ComponentName(Name = "dropout")] readonly Dropout dropout;

    /// <summary>Builds the layer for <paramref name="config"/> (weights start uninitialised: <see cref="Gpt"/> initialises them from its own generator).</summary>
    public Mlp(GptConfig config) : base(nameof(Mlp))
    {
        ArgumentNullException.ThrowIfNull(config);
        expand = Layers.Linear(config.EmbeddingSize, 4 * config.EmbeddingSize, config.Bias);
        projection = Layers.Linear(4 * config.EmbeddingSize, config.EmbeddingSize, config.Bias);
        dropout = nn.Dropout(config.Dropout);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public IReadOnlyList<(string Name, nn.Module<Tensor, Tensor> Layer)> Projections => [("c_fc", expand), ("c_proj", projection)];

    /// <inheritdoc/>
    public string ResidualProjection => "c_proj";

    /// <inheritdoc/>
    public void Replace(string name, nn.Module<Tensor, Tensor> replacement)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        switch (name)
        {
            case "c_fc": expand = replacement; break;
            case "c_proj": projection = replacement; break;
            default: throw new ArgumentException($"The MLP has projections c_fc and c_proj, not '{name}'.", nameof(name));
        }
        LinearSwap.Register(this, name, replacement);
    }

    /// <summary>Applies the network to every position of <paramref name="input"/> independently.</summary>
    public override Tensor forward(Tensor input) => dropout.call(projection.call(nn.functional.gelu(expand.call(input))));
}
