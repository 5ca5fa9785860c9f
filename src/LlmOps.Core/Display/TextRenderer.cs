using System.Globalization;
using System.Text;
using LlmOps.Core.Platform;
using LlmOps.Core.Training;

namespace LlmOps.Core.Display;

/// <summary>The text/plain form of every result record: what the console, logs and plain-text notebook outputs show.</summary>
public static class TextRenderer
{
    /// <summary>Renders <paramref name="value"/> as text; unknown types fall back to <see cref="object.ToString"/>.</summary>
    public static string Render(object? value) => value switch
    {
        null => "",
        string text => text,
        EnvironmentReport report => Render(report),
        SmokeTrainingProgress progress => Render(progress),
        SmokeTrainingResult result => Render(result),
        _ => DataText.Render(value) ?? TrackingText.Render(value) ?? ModelText.Render(value) ?? TokenText.Render(value) ?? TrainingText.Render(value) ?? value.ToString() ?? "",
    };

    static string Render(EnvironmentReport report)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in Rows(report))
            text.Append(CultureInfo.InvariantCulture, $"{name,-16} {value}\n");
        return text.ToString();
    }

    /// <summary>The report as name/value rows, shared by the text, HTML and console-table forms: what a reader checks
    /// first (device, measured rate, threads) leads; versions and how the native library loaded follow.</summary>
    public static IEnumerable<(string Name, string Value)> Rows(EnvironmentReport report)
    {
        yield return ("device", $"{report.Device.Name} ({report.Device.Reason}; from {report.Device.Source})");
        yield return ("matmul fp32", string.Create(CultureInfo.InvariantCulture,
            $"{report.Matmul.GFlops:F1} GFLOP/s ({report.Matmul.Size}x{report.Matmul.Size}, {report.Matmul.Iterations} products in {report.Matmul.Seconds:F2} s)"));
        yield return ("threads", report.Threads.ToString(CultureInfo.InvariantCulture));
        yield return ("cpu kernels", report.CpuKernels.ToString());
        yield return ("cuda", report.CudaAvailable ? $"available, {report.CudaDeviceCount} device(s)" : "not available");
        yield return ("libtorch", report.LibTorchVersion);
        yield return ("TorchSharp", report.TorchSharpVersion);
        yield return (".NET", report.DotNetVersion);
        yield return ("os", report.OperatingSystem);
        yield return ("native load", $"{report.NativeLoad.Route}: {report.NativeLoad.Detail}");
    }

    static string Render(SmokeTrainingProgress progress)
    {
        const int width = 30;
        int filled = (int)Math.Round(progress.Fraction * width);
        return string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('.', width - filled)}] step {progress.Step}/{progress.TotalSteps}  loss {progress.Loss:F5}  {progress.ElapsedSeconds:F1}s");
    }

    static string Render(SmokeTrainingResult result) => string.Create(CultureInfo.InvariantCulture,
        $"smoke training on {result.Device}: {result.Steps} steps, loss {result.InitialLoss:F4} -> {result.FinalLoss:F5} in {result.Seconds:F2} s{(result.Cancelled ? " (cancelled)" : "")}");
}
