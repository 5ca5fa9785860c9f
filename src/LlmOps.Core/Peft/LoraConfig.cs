using System.Text.RegularExpressions;

namespace LlmOps.Core.Peft;

/// <summary>
/// One LoRA adapter's shape, as Hugging Face peft's <c>LoraConfig</c>: rank <c>r</c>, <c>lora_alpha</c> (the update
/// is scaled by alpha / r, so changing r does not change the update's size at init), <c>lora_dropout</c> on the
/// adapter's input, and the projections it targets.
/// </summary>
/// <param name="Rank">peft's <c>r</c>: the inner size of the low-rank update B·A.</param>
/// <param name="Alpha">peft's <c>lora_alpha</c>; the update is multiplied by <see cref="Scale"/> = alpha / r. The defaults (r = 8,
/// alpha = 8) are peft's.</param>
/// <param name="Dropout">peft's <c>lora_dropout</c>: dropout on the adapter's input only (the base path never sees it).</param>
/// <param name="TargetModules">peft's list form of <c>target_modules</c>: a projection is targeted when its full name
/// (<c>h.0.attn.c_attn</c>) equals an entry or ends with <c>.</c> + an entry (<c>c_attn</c>, <c>attn.c_proj</c>).</param>
/// <param name="TargetRegex">peft's string form of <c>target_modules</c>: when set, a projection is targeted when the
/// regular expression matches its whole full name (<c>h\.[01]\..*</c>), and <paramref name="TargetModules"/> is ignored.</param>
public sealed record LoraConfig(int Rank = 8, double Alpha = 8, double Dropout = 0, IReadOnlyList<string>? TargetModules = null, string? TargetRegex = null)
{
    /// <summary>The projections LoRA targets when none are named: attention's fused query-key-value projection, as
    /// peft's default mapping for GPT-2 (<c>c_attn</c>) and LoRA's paper (W_q, W_v).</summary>
    public static readonly IReadOnlyList<string> DefaultTargets = ["c_attn"];

    /// <summary>The targets in effect: <see cref="TargetModules"/>, or <see cref="DefaultTargets"/> when null.</summary>
    public IReadOnlyList<string> Targets => TargetModules ?? DefaultTargets;

    /// <summary>The factor on B·A: alpha / r.</summary>
    public double Scale => Alpha / Rank;

    /// <summary>Whether the projection named <paramref name="fullName"/> is one this adapter targets.</summary>
    public bool IsTarget(string fullName)
    {
        ArgumentNullException.ThrowIfNull(fullName);
        if (TargetRegex is not null)
            return Regex.IsMatch(fullName, $"^(?:{TargetRegex})$", RegexOptions.CultureInvariant);
        return Targets.Any(t => fullName == t || fullName.EndsWith("." + t, StringComparison.Ordinal));
    }

    /// <summary>Checks the values, returning this config so calls chain.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public LoraConfig Validate()
    {
        if (Rank < 1)
            throw new ArgumentException($"LoRA rank r must be at least 1; got {Rank}.", nameof(Rank));
        if (!(Alpha > 0) || double.IsInfinity(Alpha))
            throw new ArgumentException($"LoRA alpha must be a positive number; got {Alpha}.", nameof(Alpha));
        if (!(Dropout >= 0 && Dropout < 1))
            throw new ArgumentException($"LoRA dropout must be in [0, 1); got {Dropout}.", nameof(Dropout));
        if (TargetRegex is null && Targets.Count == 0)
            throw new ArgumentException("LoRA needs at least one target module (or a TargetRegex).", nameof(TargetModules));
        return this;
    }
}
