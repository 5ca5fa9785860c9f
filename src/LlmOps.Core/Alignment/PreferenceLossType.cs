namespace LlmOps.Core.Alignment;

/// <summary>The preference loss <see cref="DirectPreferenceOptimizer"/> trains with (trl's <c>loss_type</c>).</summary>
public enum PreferenceLossType
{
    /// <summary>DPO (Rafailov et al. 2023, eq. 7): <c>-log σ(β·h)</c>, with h the chosen log-ratio minus the rejected one
    /// over summed response log-probs; trl's default <c>sigmoid</c>.</summary>
    Sigmoid,

    /// <summary>IPO (Azar et al. 2023, eq. 17): <c>(h − 1/(2β))²</c>, with h over mean per-token log-probs as trl
    /// computes it; a squared loss that stops pushing once the margin reaches 1/(2β), so it does not overfit
    /// deterministic preferences as DPO can.</summary>
    Ipo,
}
