using LlmOps.Core.Platform;
using TorchSharp;

namespace LlmOps.Core.Training;

/// <summary>Where a trainer runs and how fast that is: every trainer decides these the same way.</summary>
/// <param name="Selection">The chosen device and why.</param>
/// <param name="Target">The same device as libtorch's <see cref="torch.Device"/>.</param>
/// <param name="BFloat16">Whether passes run in bf16 (asked for, or <see cref="MixedPrecision.Auto"/> on CUDA).</param>
/// <param name="PeakFlopsPerSecond">The rate MFU is quoted against: given, else measured here.</param>
public sealed record TrainingHardware(DeviceSelection Selection, torch.Device Target, bool BFloat16, double PeakFlopsPerSecond)
{
    /// <summary>Selects the device, decides the precision and measures the fp32 matmul peak unless one is given.
    /// Call it before seeding: the measurement's random matrices would otherwise move the seeded streams.</summary>
    public static TrainingHardware Resolve(string? device, MixedPrecision precision, double? peakFlopsPerSecond)
    {
        var selection = DeviceSelector.Select(device);
        var target = selection.ToTorch();
        bool bfloat16 = precision == MixedPrecision.Bf16 || (precision == MixedPrecision.Auto && selection.Device == DevicePreference.Cuda);
        double peak = peakFlopsPerSecond ?? MatmulMeasurement.Measure(target, size: 1024, minSeconds: 0.25).GFlops * 1e9;
        return new(selection, target, bfloat16, peak);
    }
}
