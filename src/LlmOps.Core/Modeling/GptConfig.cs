using System.Globalization;

namespace LlmOps.Core.Modeling;

/// <summary>
/// The shape of a <see cref="Gpt"/>, named as nanoGPT's <c>GPTConfig</c> so the papers and nanoGPT map one to one.
/// A record, so a checkpoint's <c>config.json</c> is this and nothing more; call <see cref="Validate"/> before use
/// (the model does), because <c>with</c> expressions skip any constructor check.
/// </summary>
/// <param name="VocabSize">Tokens the embedding and the head know (nanoGPT pads GPT-2's 50257 to 50304 for speed).</param>
/// <param name="BlockSize">The longest context the model attends over; learned positions stop here.</param>
/// <param name="Layers">Transformer blocks (n_layer).</param>
/// <param name="Heads">Attention heads per block (n_head).</param>
/// <param name="EmbeddingSize">Width of the residual stream (n_embd); a multiple of <paramref name="Heads"/>.</param>
/// <param name="Dropout">Dropout on embeddings, attention and residual branches while training; 0 for pretraining.</param>
/// <param name="Bias">Biases in the linear layers and LayerNorms (GPT-2 has them; nanoGPT finds training a bit better without).</param>
/// <param name="Positions">Learned absolute positions or rotary embeddings.</param>
/// <param name="TiedEmbeddings">The LM head reuses the token embedding matrix (GPT-2, Press and Wolf 2017): fewer parameters, often better.</param>
public sealed record GptConfig(
    int VocabSize,
    int BlockSize,
    int Layers,
    int Heads,
    int EmbeddingSize,
    double Dropout = 0.0,
    bool Bias = true,
    PositionEncoding Positions = PositionEncoding.Learned,
    bool TiedEmbeddings = true)
{
    /// <summary>Width of one head: the embedding split evenly across heads.</summary>
    public int HeadSize => Heads == 0 ? 0 : EmbeddingSize / Heads;

    /// <summary>nanoGPT's "baby GPT" for a CPU (README, shakespeare_char on a laptop): 4 layers, 4 heads, 128 wide,
    /// context 64, no dropout. Trains in minutes on two cores.</summary>
    public static GptConfig Baby(int vocabSize) =>
        new(vocabSize, BlockSize: 64, Layers: 4, Heads: 4, EmbeddingSize: 128, Dropout: 0.0, Bias: false);

    /// <summary>nanoGPT's <c>train_shakespeare_char</c> shape: 6 layers, 6 heads, 384 wide, context 256, dropout 0.2
    /// (about 10.7M parameters with a character vocabulary). A GPU-sized run, or a long CPU one.</summary>
    public static GptConfig Small(int vocabSize) =>
        new(vocabSize, BlockSize: 256, Layers: 6, Heads: 6, EmbeddingSize: 384, Dropout: 0.2, Bias: false);

    /// <summary>Checks every constraint at once, so one message lists everything that is wrong.</summary>
    /// <returns>This config, for chaining.</returns>
    /// <exception cref="ArgumentException">The config cannot build a model; the message names each problem.</exception>
    public GptConfig Validate()
    {
        var problems = new List<string>();
        void Positive(string name, int value)
        {
            if (value < 1)
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be at least 1 (got {value})"));
        }
        Positive(nameof(VocabSize), VocabSize);
        Positive(nameof(BlockSize), BlockSize);
        Positive(nameof(Layers), Layers);
        Positive(nameof(Heads), Heads);
        Positive(nameof(EmbeddingSize), EmbeddingSize);
        if (Heads > 0 && EmbeddingSize > 0 && EmbeddingSize % Heads != 0)
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"{nameof(EmbeddingSize)} ({EmbeddingSize}) must be divisible by {nameof(Heads)} ({Heads}) so every head gets the same width"));
        else if (Positions == PositionEncoding.Rotary && HeadSize % 2 != 0)
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"rotary positions rotate pairs of dimensions, so the head size ({EmbeddingSize}/{Heads} = {HeadSize}) must be even"));
        if (!(Dropout >= 0 && Dropout < 1))
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(Dropout)} must be in [0, 1) (got {Dropout})"));
        if (!Enum.IsDefined(Positions))
            problems.Add($"{nameof(Positions)} '{Positions}' is not Learned or Rotary");
        return problems.Count == 0 ? this : throw new ArgumentException($"Invalid GPT config: {string.Join("; ", problems)}.");
    }
}
