using static TorchSharp.torch;

namespace LlmOps.Core.Alignment;

/// <summary>
/// The preference losses as functions of log-probabilities, so a test can check them against a hand computation:
/// response log-probs from a model's logits, then DPO's or IPO's loss and the implicit rewards trl logs.
/// </summary>
public static class PreferenceLoss
{
    /// <summary>Each row's log-probability of its target tokens: log_softmax over the vocabulary, gathered at the
    /// targets, summed (or averaged) over the positions whose target is not -1 (the response, not prompt or padding).</summary>
    /// <param name="logits">[rows, time, vocabulary], any float type (computed in fp32).</param>
    /// <param name="targets">[rows, time] next-token ids; -1 where the position is not scored.</param>
    /// <param name="average">Mean per scored token instead of the sum (IPO's length normalisation).</param>
    /// <returns>[rows] fp32.</returns>
    public static Tensor SequenceLogProbs(Tensor logits, Tensor targets, bool average = false)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        var mask = targets.ge(0);
        // -1 cannot index the vocabulary: gathered at 0 and masked out after.
        var safe = where(mask, targets, zeros_like(targets));
        var perToken = nn.functional.log_softmax(logits.to(ScalarType.Float32), -1).gather(-1, safe.unsqueeze(-1)).squeeze(-1);
        var floatMask = mask.to(ScalarType.Float32);
        var sum = (perToken * floatMask).sum(-1);
        return average ? sum / floatMask.sum(-1).clamp_min(1) : sum;
    }

    /// <summary>The loss of each pair and its implicit rewards β·(log π − log π_ref), chosen and rejected.</summary>
    /// <param name="policyChosen">[pairs] the policy's log-probs of the chosen answers.</param>
    /// <param name="policyRejected">[pairs] of the rejected answers.</param>
    /// <param name="referenceChosen">[pairs] the frozen reference's of the chosen answers.</param>
    /// <param name="referenceRejected">[pairs] of the rejected answers.</param>
    /// <param name="beta">β: the strength of the implicit KL to the reference (trl's default 0.1).</param>
    /// <param name="type">DPO's sigmoid loss or IPO's squared one.</param>
    /// <returns>Per pair: the loss, the chosen reward, the rejected reward (the rewards without gradient).</returns>
    public static (Tensor Losses, Tensor ChosenRewards, Tensor RejectedRewards) Compute(Tensor policyChosen, Tensor policyRejected,
        Tensor referenceChosen, Tensor referenceRejected, double beta, PreferenceLossType type)
    {
        ArgumentNullException.ThrowIfNull(policyChosen);
        ArgumentNullException.ThrowIfNull(policyRejected);
        ArgumentNullException.ThrowIfNull(referenceChosen);
        ArgumentNullException.ThrowIfNull(referenceRejected);
        var chosenRatio = policyChosen - referenceChosen;
        var rejectedRatio = policyRejected - referenceRejected;
        var h = chosenRatio - rejectedRatio;
        var losses = type switch
        {
            PreferenceLossType.Sigmoid => -nn.functional.logsigmoid(beta * h),
            PreferenceLossType.Ipo => (h - (1 / (2 * beta))).pow(2),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a preference loss"),
        };
        return (losses, beta * chosenRatio.detach(), beta * rejectedRatio.detach());
    }
}
