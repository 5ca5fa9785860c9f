using static TorchSharp.torch;

namespace LlmOps.Core.Modeling;

/// <summary>What a safetensors file holds: CPU tensors by name and the string metadata. Owns the tensors
/// (outside any dispose scope): dispose it once they have been copied where they are needed.</summary>
/// <param name="Tensors">Tensors by name.</param>
/// <param name="Metadata">The <c>__metadata__</c> entries (empty when the file has none).</param>
public sealed record SafeTensorsContent(IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata) : IDisposable
{
    /// <summary>Frees every tensor.</summary>
    public void Dispose()
    {
        foreach (var tensor in Tensors.Values)
            tensor.Dispose();
    }
}
