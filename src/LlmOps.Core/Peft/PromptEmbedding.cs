using LlmOps.Core.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LlmOps.Core.Peft;

/// <summary>Virtual tokens that are a plain table of N rows (peft's <c>PromptEmbedding</c>, and <c>PrefixEncoder</c>
/// without projection): the rows are the parameter itself. State-dict name <c>embedding.weight</c>.</summary>
public sealed class PromptEmbedding : VirtualTokens
{
    readonly Embedding embedding;

    /// <summary>A table of <paramref name="rows"/>' shape holding a copy of them, trainable.</summary>
    /// <param name="rows">[N, width]: the starting values.</param>
    /// <param name="placement">Where the model puts them.</param>
    public PromptEmbedding(Tensor rows, VirtualTokenPlacement placement) : base(nameof(PromptEmbedding), (int)Rows(rows).shape[0], placement)
    {
        embedding = nn.Embedding(rows.shape[0], rows.shape[1], dtype: rows.dtype, device: rows.device);
        using (no_grad())
            embedding.weight!.copy_(rows);
        register_module("embedding", embedding);
    }

    /// <summary>A table of <paramref name="count"/> rows <paramref name="width"/> wide drawn N(0, 1) from
    /// <paramref name="generator"/> (torch's embedding init, which peft keeps).</summary>
    public static PromptEmbedding Random(int count, long width, VirtualTokenPlacement placement, Generator? generator)
    {
        using var rows = empty(count, width).normal_(0, 1, generator);
        return new PromptEmbedding(rows, placement);
    }

    /// <summary>The table itself, [N, width] (the parameter: do not dispose it).</summary>
    public override Tensor Rows() => embedding.weight!;

    static Tensor Rows(Tensor rows) =>
        rows?.dim() == 2 ? rows : throw new ArgumentException($"Virtual-token rows must be [N, width]; got [{string.Join(", ", rows?.shape ?? [])}].", nameof(rows));
}
