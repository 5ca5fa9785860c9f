using TorchSharp;

namespace LlmOps.Core.Platform;

/// <summary>
/// Chooses the device: an explicit argument wins, then the <see cref="EnvironmentVariable"/>, then <c>auto</c>,
/// which picks CUDA when a CUDA libtorch is loaded and sees a GPU, else the CPU.
/// </summary>
public static class DeviceSelector
{
    /// <summary>The environment variable that sets the device when no argument does: <c>auto</c>, <c>cpu</c> or <c>cuda</c>.</summary>
    public const string EnvironmentVariable = "LLMOPS_DEVICE";

    /// <summary>Chooses the device on this machine.</summary>
    /// <param name="requested"><c>auto</c>, <c>cpu</c>, <c>cuda</c>, or null to defer to the environment variable.</param>
    public static DeviceSelection Select(string? requested = null)
    {
        TorchRuntime.EnsureInitialized();
        return Decide(requested, Environment.GetEnvironmentVariable(EnvironmentVariable), torch.cuda.is_available());
    }

    /// <summary>The decision itself, free of the machine, so every branch can be tested anywhere.</summary>
    /// <exception cref="ArgumentException">An unknown device name, or CUDA asked for where none is usable; the message names the source.</exception>
    public static DeviceSelection Decide(string? requested, string? environmentValue, bool cudaAvailable)
    {
        var (text, source) = !string.IsNullOrWhiteSpace(requested) ? (requested, "argument")
            : !string.IsNullOrWhiteSpace(environmentValue) ? (environmentValue, EnvironmentVariable)
            : ("auto", "default");
        var preference = Parse(text, source);
        return preference switch
        {
            DevicePreference.Cpu => new(DevicePreference.Cpu, preference, source, "CPU requested"),
            DevicePreference.Cuda when cudaAvailable => new(DevicePreference.Cuda, preference, source, "CUDA requested and available"),
            DevicePreference.Cuda => throw new ArgumentException(
                $"Device 'cuda' was requested ({source}) but CUDA is not available: the loaded libtorch is a CPU build or sees no GPU. " +
                "Build with -p:LlmOpsTorchBackend=cuda on a machine with an NVIDIA driver, or ask for 'auto' or 'cpu'."),
            _ when cudaAvailable => new(DevicePreference.Cuda, preference, source, "auto: CUDA libtorch loaded and a GPU is visible"),
            _ => new(DevicePreference.Cpu, preference, source, "auto: no CUDA device available"),
        };
    }

    /// <summary>Parses <c>auto</c>, <c>cpu</c> or <c>cuda</c> (any case).</summary>
    public static DevicePreference Parse(string text, string source = "argument") => text.Trim().ToLowerInvariant() switch
    {
        "auto" => DevicePreference.Auto,
        "cpu" => DevicePreference.Cpu,
        "cuda" or "gpu" => DevicePreference.Cuda,
        _ => throw new ArgumentException($"Unknown device '{text}' ({source}): expected auto, cpu or cuda."),
    };
}
