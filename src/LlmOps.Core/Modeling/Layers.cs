using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LlmOps.Core.Modeling;

/// <summary>Layers for <see cref="Gpt"/>, which initialises every weight itself from its own generator. Linear layers
/// are created uninitialised, so building a model draws nothing from libtorch's global generator for them (their
/// constructors would, shifting the stream other code is seeded on). Embeddings still draw once at construction:
/// in TorchSharp 0.107 <c>Embedding_from_pretrained</c>'s registered parameter is not the tensor its forward reads.
/// Either way the model's values depend only on its seed.</summary>
static class Layers
{
    /// <summary>A linear layer with uninitialised weight and zero bias.</summary>
    public static Linear Linear(long inputs, long outputs, bool bias) =>
        nn.Linear(new Parameter(empty(outputs, inputs)), bias ? new Parameter(zeros(outputs)) : null);

    /// <summary>A trainable embedding table (about to be re-initialised by <see cref="Gpt"/>).</summary>
    public static Embedding Embedding(long rows, long width) => nn.Embedding(rows, width);
}
