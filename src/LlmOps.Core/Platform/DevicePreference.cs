namespace LlmOps.Core.Platform;

/// <summary>What the user asked for: a device, or <see cref="Auto"/> to let the machine decide.</summary>
public enum DevicePreference
{
    /// <summary>CUDA when a CUDA libtorch is loaded and sees a GPU, else CPU.</summary>
    Auto,
    /// <summary>The CPU, always available.</summary>
    Cpu,
    /// <summary>The first CUDA GPU; an error where none is usable.</summary>
    Cuda,
}
