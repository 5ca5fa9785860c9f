using LlmOps.Core.Platform;

namespace LlmOps.Core.Tests.Platform;

public class DeviceSelectorTests
{
    [Theory]
    [InlineData(null, null, true, DevicePreference.Cuda, "default")]
    [InlineData(null, null, false, DevicePreference.Cpu, "default")]
    [InlineData("auto", null, true, DevicePreference.Cuda, "argument")]
    [InlineData(null, "cpu", true, DevicePreference.Cpu, DeviceSelector.EnvironmentVariable)]
    [InlineData(null, "CUDA", true, DevicePreference.Cuda, DeviceSelector.EnvironmentVariable)]
    [InlineData("cpu", "cuda", true, DevicePreference.Cpu, "argument")]
    [InlineData("cuda", "cpu", true, DevicePreference.Cuda, "argument")]
    [InlineData(" ", "auto", false, DevicePreference.Cpu, DeviceSelector.EnvironmentVariable)]
    public void Argument_beats_environment_beats_auto(string? argument, string? environment, bool cuda, DevicePreference expected, string source)
    {
        var selection = DeviceSelector.Decide(argument, environment, cuda);
        Assert.Equal(expected, selection.Device);
        Assert.Equal(source, selection.Source);
    }

    [Fact]
    public void Asking_for_cuda_without_it_is_an_error_that_says_how_to_get_it()
    {
        var error = Assert.Throws<ArgumentException>(() => DeviceSelector.Decide(null, "cuda", cudaAvailable: false));
        Assert.Contains(DeviceSelector.EnvironmentVariable, error.Message, StringComparison.Ordinal);
        Assert.Contains("LlmOpsTorchBackend=cuda", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_device_name_is_an_error_that_names_it_and_its_source()
    {
        var error = Assert.Throws<ArgumentException>(() => DeviceSelector.Decide(null, "tpu", cudaAvailable: true));
        Assert.Contains("'tpu'", error.Message, StringComparison.Ordinal);
        Assert.Contains(DeviceSelector.EnvironmentVariable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void On_this_machine_auto_follows_what_libtorch_reports()
    {
        var selection = DeviceSelector.Select("auto");
        Assert.Equal(TorchSharp.torch.cuda.is_available() ? DevicePreference.Cuda : DevicePreference.Cpu, selection.Device);
        Assert.Equal(selection.Name == "cuda" ? TorchSharp.DeviceType.CUDA : TorchSharp.DeviceType.CPU, selection.ToTorch().type);
    }

    [Fact]
    public void The_environment_report_measures_the_matmul_rate_it_claims()
    {
        var report = EnvironmentReport.Collect("cpu", matmulSize: 256, matmulSeconds: 0.05);

        Assert.Equal("cpu", report.Device.Name);
        Assert.StartsWith("2.10", report.LibTorchVersion, StringComparison.Ordinal);
        Assert.Equal("0.107.0", report.TorchSharpVersion);
        Assert.Equal(TorchSharp.torch.get_num_threads(), report.Threads);
        Assert.True(report.Matmul.Iterations >= 1 && report.Matmul.Seconds >= 0.05);
        Assert.Equal(2.0 * 256 * 256 * 256 * report.Matmul.Iterations / report.Matmul.Seconds / 1e9, report.Matmul.GFlops, 6);
    }
}
