using LlmOps.Core.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LlmOps.Core.Alignment;

/// <summary>
/// A <see cref="Gpt"/> with a scalar head: the final hidden state of each sequence's last real token, through a linear
/// layer, is its reward (InstructGPT's reward model; Hugging Face's <c>AutoModelForSequenceClassification</c> with one
/// label, as trl's <c>RewardTrainer</c> uses). The language-model head is kept but frozen and unused.
/// </summary>
/// <remarks>Saved as the body's <see cref="GptCheckpoint"/> plus <see cref="ScoreFile"/> holding <c>score.weight</c>.</remarks>
public sealed class RewardModel : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>The file beside the body's checkpoint that holds the scalar head.</summary>
    public const string ScoreFile = "score.safetensors";

    readonly Gpt transformer;
    readonly Linear score;

    /// <summary>Puts a new scalar head on <paramref name="transformer"/> (which the reward model then owns).</summary>
    /// <param name="transformer">The body, typically an SFT checkpoint's model.</param>
    /// <param name="seed">Seeds the head's N(0, 0.02) initialisation.</param>
    public RewardModel(Gpt transformer, int seed) : base(nameof(RewardModel))
    {
        ArgumentNullException.ThrowIfNull(transformer);
        this.transformer = transformer;
        score = Layers.Linear(transformer.Config.EmbeddingSize, 1, bias: false);
        RegisterComponents();
        score.to(transformer.Device);
        using var generator = new Generator((ulong)seed);
        using (no_grad())
            score.weight!.normal_(0, Gpt.InitStd, generator);
        // The token head gets no gradient from a reward; frozen, so the optimizer and clipping leave it alone.
        foreach (var (name, parameter) in transformer.named_parameters())
            if (name.StartsWith("lm_head", StringComparison.Ordinal))
                parameter.requires_grad = false;
    }

    /// <summary>What the checkpoint it was loaded from says (tokenizer, data); null for a new model.</summary>
    public CheckpointMetadata? Metadata { get; private init; }

    /// <summary>The body.</summary>
    public Gpt Transformer => transformer;

    /// <summary>The reward of each row: <paramref name="ids"/> [rows, time] right-padded, <paramref name="last"/> [rows]
    /// the index of each row's last real token.</summary>
    /// <returns>[rows] rewards.</returns>
    public override Tensor forward(Tensor ids, Tensor last)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(last);
        var hidden = transformer.HiddenStates(ids);
        var rows = arange(ids.shape[0], dtype: ScalarType.Int64, device: ids.device);
        return score.call(hidden[rows, last]).squeeze(-1);
    }

    /// <summary>Writes the body and the head into <paramref name="folder"/>.</summary>
    public void Save(string folder, CheckpointMetadata metadata)
    {
        GptCheckpoint.Save(folder, transformer, metadata);
        using var stream = new FileStream(Path.Combine(folder, ScoreFile), FileMode.Create, FileAccess.Write, FileShare.None);
        SafeTensors.Write(stream, [("score.weight", score.weight!)]);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Reads a reward model saved by <see cref="Save"/>, bit for bit, in eval mode.</summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">The head does not fit the body; the message names the file.</exception>
    public static RewardModel Load(string folder, Device? device = null)
    {
        string path = Path.Combine(folder, ScoreFile);
        if (!File.Exists(path))
            throw new FileNotFoundException($"No {ScoreFile} in {folder}: not a reward model checkpoint.", path);
        var loaded = GptCheckpoint.Load(folder, device);
        var model = new RewardModel(loaded.Model, seed: 0) { Metadata = loaded.Metadata };
        using var content = SafeTensors.Read(path);
        if (!content.Tensors.TryGetValue("score.weight", out var weight) || !weight.shape.SequenceEqual(model.score.weight!.shape))
        {
            model.Dispose();
            throw new InvalidDataException($"{path} needs 'score.weight' of shape [1, {model.transformer.Config.EmbeddingSize}].");
        }
        using (no_grad())
            model.score.weight!.copy_(weight);
        model.eval();
        return model;
    }
}
