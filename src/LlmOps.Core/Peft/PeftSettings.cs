using System.Globalization;

namespace LlmOps.Core.Peft;

/// <summary>
/// The knobs of every parameter-efficient method in one record, as a fine-tuning config nests them
/// (<c>"Peft": { "Rank": 8 }</c>); each method reads the ones that concern it. Defaults are peft's.
/// </summary>
/// <param name="Rank">LoRA's <c>r</c>: the inner size of the low-rank update (peft: 8).</param>
/// <param name="Alpha">LoRA's <c>lora_alpha</c>; the update is scaled by alpha / r (peft: 8).</param>
/// <param name="Dropout">LoRA's <c>lora_dropout</c> on the adapter's input (peft: 0).</param>
/// <param name="Targets">The projections the method attaches to, by full name or name suffix (<c>c_attn</c>,
/// <c>attn.c_proj</c>); null takes the method's own default (LoRA: <see cref="LoraConfig.DefaultTargets"/>, adapters:
/// <see cref="BottleneckConfig.DefaultTargets"/>).</param>
/// <param name="AdapterSize">The bottleneck adapter's inner width (<see cref="BottleneckConfig.Size"/>).</param>
/// <param name="VirtualTokens">peft's <c>num_virtual_tokens</c>, for the prompt-style methods (prompt tuning, P-tuning,
/// prefix tuning; 8 as their configs); LoRA and adapters ignore it.</param>
/// <param name="TrainTemplateTokens">Also train the embedding rows of the chat template's special tokens
/// (<c>&lt;|im_start|&gt;</c>, <c>&lt;|im_end|&gt;</c>), as peft's <c>trainable_token_indices</c> does: tokens the base never
/// trained on can then be told apart and emitted. Needs the <c>chatml</c> template (default: off, as in peft).</param>
public sealed record PeftSettings(
    int Rank = 8,
    double Alpha = 8,
    double Dropout = 0,
    IReadOnlyList<string>? Targets = null,
    int AdapterSize = 16,
    int VirtualTokens = 8,
    bool TrainTemplateTokens = false)
{
    /// <summary>LoRA's config from these settings.</summary>
    public LoraConfig Lora() => new(Rank, Alpha, Dropout, Targets);

    /// <summary>The bottleneck adapters' config from these settings.</summary>
    public BottleneckConfig Bottleneck() => new(AdapterSize, Targets);

    /// <summary>What is wrong with the settings, one sentence each (empty when nothing is).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Check(bool ok, FormattableString problem)
        {
            if (!ok)
                problems.Add(problem.ToString(CultureInfo.InvariantCulture));
        }
        Check(Rank >= 1, $"Peft.{nameof(Rank)} must be at least 1 (got {Rank})");
        Check(Alpha > 0 && double.IsFinite(Alpha), $"Peft.{nameof(Alpha)} must be positive (got {Alpha})");
        Check(Dropout is >= 0 and < 1, $"Peft.{nameof(Dropout)} must be in [0, 1) (got {Dropout})");
        Check(Targets is null || (Targets.Count > 0 && Targets.All(t => !string.IsNullOrWhiteSpace(t))),
            $"Peft.{nameof(Targets)} must name at least one projection, or be null for the method's default");
        Check(AdapterSize >= 1, $"Peft.{nameof(AdapterSize)} must be at least 1 (got {AdapterSize})");
        Check(VirtualTokens >= 1, $"Peft.{nameof(VirtualTokens)} must be at least 1 (got {VirtualTokens})");
        return problems;
    }

    /// <summary>Whether <paramref name="other"/> sets every knob the same (target lists by content).</summary>
    public bool SameAs(PeftSettings? other) =>
        other is not null && this with { Targets = null } == other with { Targets = null }
        && (Targets ?? []).SequenceEqual(other.Targets ?? [], StringComparer.Ordinal) && (Targets is null) == (other.Targets is null);
}
