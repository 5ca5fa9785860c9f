using System.Text.Json.Nodes;
using LlmOps.Core.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmOps.Core.Peft;

/// <summary>P-tuning on a <see cref="Gpt"/> (see <see cref="PTuningConfig"/>): N virtual-token embeddings before the
/// input, made each forward pass by a <see cref="PromptEncoder"/> (table [N, C], MLP C→H→H→C); the encoder trains.
/// A loaded adapter holds the encoder's saved output as a plain table (see <see cref="PromptLearningModel"/>).</summary>
public sealed class PTuningModel : PromptLearningModel
{
    PTuningModel(Gpt model, PTuningConfig config, VirtualTokens tokens) : base(model, tokens) => Config = config;

    /// <summary>The method's settings.</summary>
    public PTuningConfig Config { get; }

    /// <inheritdoc/>
    public override PeftMethod Method => PeftMethod.PTuning;

    /// <inheritdoc/>
    public override string PeftType => "P_TUNING";

    /// <summary>Freezes <paramref name="model"/> and puts a fresh prompt encoder's N virtual tokens before its input.</summary>
    /// <param name="model">The base; changed in place.</param>
    /// <param name="config">N and the encoder's hidden size.</param>
    /// <param name="seed">Seeds the encoder's init; null draws from libtorch's global generator.</param>
    /// <exception cref="ArgumentException">The config is invalid or N leaves no room in the block.</exception>
    public static PTuningModel Apply(Gpt model, PTuningConfig config, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        long width = model.Config.EmbeddingSize, hidden = config.HiddenSize(model.Config.EmbeddingSize);
        using var generator = seed is { } s ? new Generator((ulong)s) : null;
        var encoder = new PromptEncoder(config.VirtualTokens, [width, hidden, hidden, width], tanh: false, "mlp_head", VirtualTokenPlacement.Input, generator);
        return new PTuningModel(model, config, encoder);
    }

    /// <summary>Rebuilds the method around saved rows [N, C], the encoder's output (see <see cref="PeftAdapterFolder"/>).</summary>
    internal static PTuningModel FromRows(Gpt model, PTuningConfig config, Tensor rows) =>
        new(model, config, new PromptEmbedding(rows, VirtualTokenPlacement.Input));

    /// <inheritdoc/>
    protected override JsonObject MethodFields() => new()
    {
        ["encoder_reparameterization_type"] = "MLP",
        ["encoder_hidden_size"] = Config.HiddenSize(Model.Config.EmbeddingSize),
        ["encoder_num_layers"] = 2,
        ["encoder_dropout"] = 0.0,
    };
}
