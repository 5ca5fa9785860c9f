using LlmOps.Core.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LlmOps.Core.Peft;

/// <summary>
/// Virtual tokens reparameterised through an MLP: a table [N, C] (<c>embedding.weight</c>) passed through linear layers
/// with an activation between them on every forward pass, so the trained quantities are the table and the MLP and the
/// rows are their output. P-tuning's prompt encoder (peft's <c>PromptEncoder</c>, head <c>mlp_head</c>: C→H→H→C,
/// ReLU) and prefix tuning's projection (peft's <c>PrefixEncoder</c> with <c>prefix_projection</c>, head
/// <c>transform</c>: C→H→layers·2·C, tanh) are both this.
/// </summary>
public sealed class PromptEncoder : VirtualTokens
{
    readonly Embedding embedding;
    readonly Sequential head;

    /// <summary>Builds the table (N(0, 1)) and the MLP (torch's Linear init: kaiming-uniform a = √5 weights and
    /// uniform ±1/√fan_in biases), all drawn from <paramref name="generator"/>.</summary>
    /// <param name="count">N.</param>
    /// <param name="widths">The MLP's widths from the table's (C) to the rows' (at least two).</param>
    /// <param name="tanh">tanh between layers (prefix projection) instead of ReLU (P-tuning).</param>
    /// <param name="headName">The MLP's state-dict name (peft's: <c>mlp_head</c> or <c>transform</c>).</param>
    /// <param name="placement">Where the model puts the rows.</param>
    /// <param name="generator">Seeded draws; null uses libtorch's global generator.</param>
    public PromptEncoder(int count, IReadOnlyList<long> widths, bool tanh, string headName, VirtualTokenPlacement placement, Generator? generator)
        : base(nameof(PromptEncoder), count, placement)
    {
        ArgumentNullException.ThrowIfNull(widths);
        ArgumentException.ThrowIfNullOrWhiteSpace(headName);
        if (widths.Count < 2)
            throw new ArgumentException("A prompt encoder's MLP needs at least an input and an output width.", nameof(widths));
        embedding = nn.Embedding(count, widths[0]);
        var layers = new List<nn.Module<Tensor, Tensor>>();
        using (no_grad())
        {
            embedding.weight!.normal_(0, 1, generator);
            for (int i = 0; i + 1 < widths.Count; i++)
            {
                if (i > 0)
                    layers.Add(tanh ? nn.Tanh() : nn.ReLU());
                double bound = 1 / Math.Sqrt(widths[i]);
                var linear = nn.Linear(new Parameter(empty(widths[i + 1], widths[i]).uniform_(-bound, bound, generator)),
                    new Parameter(empty(widths[i + 1]).uniform_(-bound, bound, generator)));
                layers.Add(linear);
            }
        }
        head = nn.Sequential(layers);
        register_module("embedding", embedding);
        register_module(headName, head);
    }

    /// <summary>The MLP over the whole table: [N, last width].</summary>
    public override Tensor Rows() => head.call(embedding.weight!);
}
