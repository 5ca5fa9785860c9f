using static TorchSharp.torch;

namespace LlmOps.Core.Modeling;

/// <summary>
/// One layer's attention for one forward pass, computed the explicit way, softmax(QKᵀ/√d + mask)·V, so the weights that
/// <c>scaled_dot_product_attention</c> never returns can be looked at. Made by <see cref="Gpt.ProbeAttention"/> or
/// <see cref="CausalSelfAttention.Probe"/>; the caller owns (and disposes) the tensors.
/// </summary>
/// <param name="Layer">The block's index.</param>
/// <param name="Mask">Which key each query may see, [time, time], true on and below the diagonal (causal).</param>
/// <param name="Weights">The attention weights, [batch, heads, time, time]; each row sums to 1 over the keys it may see.</param>
/// <param name="Output">The layer's output from the explicit path (heads mixed by the output projection), [batch, time, embedding].</param>
/// <param name="SdpaDifference">The largest absolute difference between <paramref name="Output"/> and the same layer's
/// output through <c>scaled_dot_product_attention</c>, the path training and generation take: float rounding, not more.</param>
public sealed record AttentionProbe(int Layer, Tensor Mask, Tensor Weights, Tensor Output, double SdpaDifference) : IDisposable
{
    /// <inheritdoc/>
    public void Dispose()
    {
        Mask.Dispose();
        Weights.Dispose();
        Output.Dispose();
    }
}
