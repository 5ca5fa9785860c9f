using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace LlmOps.Core.Platform;

/// <summary>What this machine offers for training: device, threads, library versions and a measured matmul rate.</summary>
public sealed record EnvironmentReport(
    DeviceSelection Device,
    bool CudaAvailable,
    int CudaDeviceCount,
    int Threads,
    string LibTorchVersion,
    string TorchSharpVersion,
    string DotNetVersion,
    string OperatingSystem,
    NativeLoadReport NativeLoad,
    MatmulMeasurement Matmul,
    CpuKernels CpuKernels)
{
    /// <summary>Collects the report, measuring the matmul rate on the selected device.</summary>
    /// <param name="device"><c>auto</c>, <c>cpu</c>, <c>cuda</c>, or null for the environment's choice.</param>
    /// <param name="matmulSize">Side of the square matrices timed.</param>
    /// <param name="matmulSeconds">Minimum time spent timing.</param>
    public static EnvironmentReport Collect(string? device = null, int matmulSize = 1024, double matmulSeconds = 0.5)
    {
        var native = TorchRuntime.EnsureInitialized();
        var selection = DeviceSelector.Select(device);
        bool cuda = torch.cuda.is_available();
        return new EnvironmentReport(
            selection,
            cuda,
            cuda ? torch.cuda.device_count() : 0,
            torch.get_num_threads(),
            torch.__version__,
            typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
                ?? typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown",
            RuntimeInformation.FrameworkDescription,
            RuntimeInformation.OSDescription,
            native,
            MatmulMeasurement.Measure(selection.ToTorch(), matmulSize, matmulSeconds),
            CpuKernels.Detect());
    }
}
