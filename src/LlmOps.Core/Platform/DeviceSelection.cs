using TorchSharp;

namespace LlmOps.Core.Platform;

/// <summary>The device that work runs on, and how it was chosen.</summary>
/// <param name="Device">The chosen device: <see cref="DevicePreference.Cpu"/> or <see cref="DevicePreference.Cuda"/>.</param>
/// <param name="Requested">What was asked for.</param>
/// <param name="Source">Where the request came from: <c>argument</c>, the environment variable's name, or <c>default</c>.</param>
/// <param name="Reason">Why this device, in words.</param>
public sealed record DeviceSelection(DevicePreference Device, DevicePreference Requested, string Source, string Reason)
{
    /// <summary>The short name used everywhere (<c>cpu</c> or <c>cuda</c>).</summary>
    public string Name => Device == DevicePreference.Cuda ? "cuda" : "cpu";

    /// <summary>The TorchSharp device to put tensors and modules on.</summary>
    public torch.Device ToTorch()
    {
        TorchRuntime.EnsureInitialized();
        return Device == DevicePreference.Cuda ? torch.CUDA : torch.CPU;
    }
}
