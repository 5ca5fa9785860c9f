using System.Text.Json.Nodes;
using LlmOps.Core.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmOps.Core.Peft;

/// <summary>
/// Prefix tuning on a <see cref="Gpt"/> (see <see cref="PrefixTuningConfig"/>): every layer attends over N learned keys
/// and values per head before the real ones, as if N tokens were already in the KV cache (Hugging Face GPT-2 with
/// <c>past_key_values</c>): the real tokens' positions start at N and each sees the whole prefix. Rows are peft's
/// [N, layers·2·C]; without projection that table is what trains (layers·2·N·C parameters).
/// </summary>
/// <remarks>With rotary positions the prefix keys are used as stored, never rotated: they are learned already
/// positioned, so a prefix key has no position of its own and the real tokens' rotations start at N.</remarks>
public sealed class PrefixTuningModel : PromptLearningModel
{
    PrefixTuningModel(Gpt model, PrefixTuningConfig config, VirtualTokens tokens) : base(model, tokens) => Config = config;

    /// <summary>The method's settings.</summary>
    public PrefixTuningConfig Config { get; }

    /// <inheritdoc/>
    public override PeftMethod Method => PeftMethod.Prefix;

    /// <inheritdoc/>
    public override string PeftType => "PREFIX_TUNING";

    /// <summary>Freezes <paramref name="model"/> and gives every layer a fresh prefix of N keys and values.</summary>
    /// <param name="model">The base; changed in place.</param>
    /// <param name="config">N and the projection.</param>
    /// <param name="seed">Seeds the init; null draws from libtorch's global generator.</param>
    /// <exception cref="ArgumentException">The config is invalid or N leaves no room in the block.</exception>
    public static PrefixTuningModel Apply(Gpt model, PrefixTuningConfig config, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        long width = model.Config.EmbeddingSize, rows = model.Config.Layers * 2L * width;
        using var generator = seed is { } s ? new Generator((ulong)s) : null;
        VirtualTokens tokens = config.PrefixProjection
            ? new PromptEncoder(config.VirtualTokens, [width, config.HiddenSize(model.Config.EmbeddingSize), rows], tanh: true, "transform",
                VirtualTokenPlacement.AttentionPrefix, generator)
            : PromptEmbedding.Random(config.VirtualTokens, rows, VirtualTokenPlacement.AttentionPrefix, generator);
        return new PrefixTuningModel(model, config, tokens);
    }

    /// <summary>Rebuilds the method around saved rows [N, layers·2·C] (see <see cref="PeftAdapterFolder"/>).</summary>
    internal static PrefixTuningModel FromRows(Gpt model, PrefixTuningConfig config, Tensor rows) =>
        new(model, config, new PromptEmbedding(rows, VirtualTokenPlacement.AttentionPrefix));

    /// <inheritdoc/>
    protected override JsonObject MethodFields() => new()
    {
        ["encoder_hidden_size"] = Config.HiddenSize(Model.Config.EmbeddingSize),
        ["prefix_projection"] = Config.PrefixProjection,
    };
}
