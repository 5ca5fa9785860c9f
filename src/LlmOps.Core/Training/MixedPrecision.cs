namespace LlmOps.Core.Training;

/// <summary>
/// Which number format the forward and backward passes run in. The optimizer always keeps fp32 master weights, so a
/// bf16 run loses no update precision; only the activations and gradients of the passes are bf16.
/// </summary>
public enum MixedPrecision
{
    /// <summary>bf16 on CUDA (tensor cores double the rate), fp32 on the CPU (measured slower in bf16 on small models).</summary>
    Auto,
    /// <summary>Everything in fp32.</summary>
    Fp32,
    /// <summary>Passes in bf16 with fp32 master weights and an fp32 loss, wherever the run is.</summary>
    Bf16,
}
