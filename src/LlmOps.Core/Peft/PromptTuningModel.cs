using System.Text.Json.Nodes;
using LlmOps.Core.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmOps.Core.Peft;

/// <summary>Prompt tuning on a <see cref="Gpt"/> (see <see cref="PromptTuningConfig"/>): N learned embeddings
/// [N, C] at positions 0..N-1 before the real tokens, whose positions shift by N as in peft; the logits cover the real
/// tokens only. Trains N·C parameters.</summary>
public sealed class PromptTuningModel : PromptLearningModel
{
    PromptTuningModel(Gpt model, PromptTuningConfig config, VirtualTokens tokens) : base(model, tokens) => Config = config;

    /// <summary>The method's settings.</summary>
    public PromptTuningConfig Config { get; }

    /// <inheritdoc/>
    public override PeftMethod Method => PeftMethod.Prompt;

    /// <inheritdoc/>
    public override string PeftType => "PROMPT_TUNING";

    /// <summary>Freezes <paramref name="model"/> and puts N fresh virtual tokens before its input.</summary>
    /// <param name="model">The base; changed in place.</param>
    /// <param name="config">N and the init.</param>
    /// <param name="seed">Seeds the random init; null draws from libtorch's global generator.</param>
    /// <param name="encode">The tokenizer's encoder, for <see cref="PromptTuningInit.Text"/>: the text's tokens, repeated
    /// or cut to N as peft does, give the starting rows (copies of their token embeddings).</param>
    /// <exception cref="ArgumentException">The config is invalid, N leaves no room in the block, a Text init has no
    /// encoder, or the text encodes to nothing or to ids outside the vocabulary.</exception>
    public static PromptTuningModel Apply(Gpt model, PromptTuningConfig config, int? seed = null, Func<string, IReadOnlyList<int>>? encode = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        VirtualTokens tokens;
        if (config.Init == PromptTuningInit.Text)
        {
            if (encode is null)
                throw new ArgumentException("Prompt tuning with Text init needs the tokenizer's encoder to turn InitText into token ids.", nameof(encode));
            var ids = encode(config.InitText!);
            if (ids.Count == 0)
                throw new ArgumentException($"InitText '{config.InitText}' encodes to no tokens.", nameof(config));
            if (ids.FirstOrDefault(id => id < 0 || id >= model.Config.VocabSize, -1) is var bad and >= 0)
                throw new ArgumentException($"InitText encodes to token {bad}, outside the model's vocabulary (0..{model.Config.VocabSize - 1}).", nameof(config));
            var chosen = Enumerable.Range(0, config.VirtualTokens).Select(i => (long)ids[i % ids.Count]).ToArray();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var table = model.get_parameter("wte.weight")!;
            tokens = new PromptEmbedding(table.index_select(0, tensor(chosen, device: table.device)), VirtualTokenPlacement.Input);
        }
        else
        {
            using var generator = seed is { } s ? new Generator((ulong)s) : null;
            tokens = PromptEmbedding.Random(config.VirtualTokens, model.Config.EmbeddingSize, VirtualTokenPlacement.Input, generator);
        }
        return new PromptTuningModel(model, config, tokens);
    }

    /// <summary>Rebuilds the method around saved rows [N, C] (see <see cref="PeftAdapterFolder"/>).</summary>
    internal static PromptTuningModel FromRows(Gpt model, PromptTuningConfig config, Tensor rows) =>
        new(model, config, new PromptEmbedding(rows, VirtualTokenPlacement.Input));

    /// <inheritdoc/>
    protected override JsonObject MethodFields() => new()
    {
        ["prompt_tuning_init"] = Config.Init == PromptTuningInit.Text ? "TEXT" : "RANDOM",
        ["prompt_tuning_init_text"] = Config.InitText,
        ["tokenizer_name_or_path"] = null,
        ["tokenizer_kwargs"] = null,
    };
}
