using static TorchSharp.torch;

namespace LlmOps.Core.Modeling;

/// <summary>
/// Learned "virtual tokens" a <see cref="Gpt"/> consults in every forward pass (<see cref="Gpt.AttachVirtualTokens"/>):
/// the one hook the prompt-learning methods (prompt tuning, P-tuning, prefix tuning) need. The module is registered as
/// the model's child <c>prompt_encoder</c> (peft's attribute name), so moving, listing and saving the model include it.
/// </summary>
public abstract class VirtualTokens : nn.Module
{
    /// <summary>Declares <paramref name="count"/> virtual tokens placed as <paramref name="placement"/> says.</summary>
    protected VirtualTokens(string name, int count, VirtualTokenPlacement placement) : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Count = count;
        Placement = placement;
    }

    /// <summary>How many virtual tokens (peft's <c>num_virtual_tokens</c>, N); they take N places of the block.</summary>
    public int Count { get; }

    /// <summary>Where the model puts them.</summary>
    public VirtualTokenPlacement Placement { get; }

    /// <summary>The virtual tokens' vectors for this forward pass, [N, width] as <see cref="Placement"/> describes;
    /// computed each call, so a reparameterisation (an MLP over a table) trains through them.</summary>
    public abstract Tensor Rows();
}
