using System.Globalization;
using System.Text;
using LlmOps.Core.Platform;
using LlmOps.Core.Training;

namespace LlmOps.Core.Display;

/// <summary>The platform records (environment report, smoke training) as text and tables.</summary>
public static class PlatformText
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The report as name/value rows: device and measured speed first, then versions and the native route.</summary>
    public static IEnumerable<(string Name, string Value)> Rows(EnvironmentReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        yield return ("device", $"{report.Device.Name} ({report.Device.Reason}; from {report.Device.Source})");
        yield return ("matmul fp32", string.Create(Invariant,
            $"{report.Matmul.GFlops:F1} GFLOP/s ({report.Matmul.Size}x{report.Matmul.Size}, {report.Matmul.Iterations} products in {report.Matmul.Seconds:F2} s)"));
        yield return ("threads", report.Threads.ToString(Invariant));
        yield return ("cuda", report.CudaAvailable ? $"available, {report.CudaDeviceCount} device(s)" : "not available");
        yield return ("cpu kernels", report.CpuKernels.ToString());
        yield return ("libtorch", report.LibTorchVersion);
        yield return ("TorchSharp", report.TorchSharpVersion);
        yield return (".NET", report.DotNetVersion);
        yield return ("os", report.OperatingSystem);
        yield return ("native load", $"{report.NativeLoad.Route}: {report.NativeLoad.Detail}");
    }

    /// <summary>The report as a table.</summary>
    public static TextTable Table(EnvironmentReport report) =>
        new("llmops env", ["what", "value"], [.. Rows(report).Select(r => new[] { r.Name, r.Value })]);

    /// <summary>The report as aligned name/value lines.</summary>
    public static string Text(EnvironmentReport report)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in Rows(report))
            text.Append(Invariant, $"{name,-16} {value}\n");
        return text.ToString();
    }

    /// <summary>A progress bar of the smoke training, as text.</summary>
    public static string Text(SmokeTrainingProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        const int width = 30;
        int filled = (int)Math.Round(progress.Fraction * width);
        return $"[{new string('#', filled)}{new string('.', width - filled)}] {Status(progress)}";
    }

    /// <summary>Step, loss and time of the smoke training (what stands beside a bar).</summary>
    public static string Status(SmokeTrainingProgress progress) => string.Create(Invariant,
        $"step {progress?.Step}/{progress!.TotalSteps}  loss {progress.Loss:F5}  {progress.ElapsedSeconds:F1}s");

    /// <summary>The smoke training's outcome in one line.</summary>
    public static string Text(SmokeTrainingResult result) => string.Create(Invariant,
        $"smoke training on {result?.Device}: {result!.Steps} steps, loss {result.InitialLoss:F4} -> {result.FinalLoss:F5} in {result.Seconds:F2} s{(result.Cancelled ? " (cancelled)" : "")}");

    /// <summary>The smoke training's outcome as name/value rows.</summary>
    public static IEnumerable<(string Name, string Value)> Rows(SmokeTrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        yield return ("device", result.Device);
        yield return ("steps", result.Steps.ToString(Invariant));
        yield return ("loss", string.Create(Invariant, $"{result.InitialLoss:F4} → {result.FinalLoss:F5}"));
        yield return ("seconds", result.Seconds.ToString("F2", Invariant));
        yield return ("status", result.Cancelled ? "cancelled" : "finished");
    }
}
