namespace LlmOps.Core.Peft;

/// <summary>
/// Bottleneck adapters (Houlsby et al., 2019, "Parameter-Efficient Transfer Learning for NLP"): after each targeted
/// projection, h + up(gelu(down(h))) with a small inner size, so the block's output passes through unchanged at first
/// (up starts at zero) and the adapter learns a correction.
/// </summary>
/// <param name="Size">The bottleneck's inner width.</param>
/// <param name="TargetModules">Projections to follow, matched as LoRA's (full name equal, or ending with <c>.</c> + entry);
/// by default the attention output and the MLP output, the two places Houlsby's adapters sit.</param>
public sealed record BottleneckConfig(int Size = 16, IReadOnlyList<string>? TargetModules = null)
{
    /// <summary>The attention and MLP output projections.</summary>
    public static readonly IReadOnlyList<string> DefaultTargets = ["attn.c_proj", "mlp.c_proj"];

    /// <summary>The targets in effect.</summary>
    public IReadOnlyList<string> Targets => TargetModules ?? DefaultTargets;

    /// <summary>Whether the projection named <paramref name="fullName"/> gets an adapter.</summary>
    public bool IsTarget(string fullName)
    {
        ArgumentNullException.ThrowIfNull(fullName);
        return Targets.Any(t => fullName == t || fullName.EndsWith("." + t, StringComparison.Ordinal));
    }

    /// <summary>Checks the values, returning this config so calls chain.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public BottleneckConfig Validate()
    {
        if (Size < 1)
            throw new ArgumentException($"The bottleneck size must be at least 1; got {Size}.", nameof(Size));
        if (Targets.Count == 0)
            throw new ArgumentException("Bottleneck adapters need at least one target module.", nameof(TargetModules));
        return this;
    }
}
