using static TorchSharp.torch;

namespace LlmOps.Core.Modeling;

/// <summary>A layer whose linear projections can be swapped for other modules of the same shape in and out (a LoRA
/// wrapper, a bottleneck adapter, a quantized linear) without forking the layer: what <see cref="Gpt.ReplaceLinear"/>
/// walks.</summary>
public interface ILinearHost
{
    /// <summary>The layer's projections by state-dict name (<c>c_attn</c>, <c>c_proj</c>, ...), as they are now.</summary>
    IReadOnlyList<(string Name, nn.Module<Tensor, Tensor> Layer)> Projections { get; }

    /// <summary>The projection that writes into the residual stream (GPT-2 scales its initial weights by depth).</summary>
    string ResidualProjection { get; }

    /// <summary>Puts <paramref name="replacement"/> where projection <paramref name="name"/> was; forward passes use it
    /// from then on, and its parameters appear under that name in the state dict.</summary>
    /// <exception cref="ArgumentException">The layer has no projection of that name.</exception>
    void Replace(string name, nn.Module<Tensor, Tensor> replacement);
}
