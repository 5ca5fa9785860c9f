using static TorchSharp.torch;

namespace LlmOps.Core.Peft;

/// <summary>A LoRA adapter read from disk and checked against a model: its config and, per projection full name
/// (<c>h.0.attn.c_attn</c>), its A [r, in] and B [out, r] weights on the CPU. Owns the tensors.</summary>
/// <param name="Config">The adapter's shape from <c>adapter_config.json</c>.</param>
/// <param name="Tensors">A and B by projection full name.</param>
/// <param name="BaseModelNameOrPath">peft's <c>base_model_name_or_path</c>, when the file names one.</param>
/// <param name="TokenIds">peft's <c>trainable_token_indices</c> (token ids whose embedding rows the adapter carries), or null.</param>
/// <param name="TokenRows">Those rows [count, width], or null.</param>
public sealed record SavedLoraAdapter(LoraConfig Config, IReadOnlyDictionary<string, (Tensor A, Tensor B)> Tensors, string? BaseModelNameOrPath,
    IReadOnlyList<int>? TokenIds = null, Tensor? TokenRows = null) : IDisposable
{
    /// <summary>Frees every tensor.</summary>
    public void Dispose()
    {
        foreach (var (a, b) in Tensors.Values)
        {
            a.Dispose();
            b.Dispose();
        }
        TokenRows?.Dispose();
    }
}
