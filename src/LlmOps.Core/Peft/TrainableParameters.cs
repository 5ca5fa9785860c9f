using static TorchSharp.torch;

namespace LlmOps.Core.Peft;

/// <summary>What a fine-tuning method trains and what that costs in optimizer memory, as peft's
/// <c>print_trainable_parameters</c> reports it (trainable of all, including the adapters' own).</summary>
/// <param name="Trainable">Parameters that require gradients.</param>
/// <param name="Total">All parameters of the model, adapters included.</param>
/// <param name="OptimizerStateBytes">AdamW's state for the trainable parameters: two moment tensors per parameter
/// (<c>exp_avg</c>, <c>exp_avg_sq</c>) in the parameter's dtype.</param>
public sealed record TrainableParameters(long Trainable, long Total, long OptimizerStateBytes)
{
    /// <summary>Trainable over total, 0..1.</summary>
    public double Share => Total == 0 ? 0 : (double)Trainable / Total;

    /// <summary>Counts <paramref name="model"/>'s parameters by whether they require gradients.</summary>
    public static TrainableParameters Of(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        long trainable = 0, total = 0, state = 0;
        foreach (var parameter in model.parameters())
        {
            total += parameter.numel();
            if (!parameter.requires_grad)
                continue;
            trainable += parameter.numel();
            state += 2 * parameter.numel() * parameter.ElementSize;
        }
        return new TrainableParameters(trainable, total, state);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"trainable params: {Trainable:N0} || all params: {Total:N0} || trainable%: {Share * 100:F4} || AdamW state: {OptimizerStateBytes:N0} bytes";
}
