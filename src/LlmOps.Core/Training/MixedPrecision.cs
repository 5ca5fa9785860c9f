namespace LlmOps.Core.Training;

/// <summary>
/// Which number format the forward and backward passes run in. The optimizer always keeps fp32 master weights, so a
/// bf16 run loses no update precision; only the activations and gradients of the passes are bf16.
/// </summary>
public enum MixedPrecision
{
    /// <summary>bf16 on CUDA (tensor cores), fp32 on the CPU: on a 2-core AVX-512-BF16 EPYC, nanoGPT's baby GPT ran
    /// 0.93x as fast in bf16 at context 64 and 1.24x at context 256 (<c>bench/pretrain</c>), so the CPU default stays
    /// the exact one and bf16 is an opt-in there.</summary>
    Auto,
    /// <summary>Everything in fp32.</summary>
    Fp32,
    /// <summary>Passes in bf16 with fp32 master weights and an fp32 loss, wherever the run is.</summary>
    Bf16,
}
