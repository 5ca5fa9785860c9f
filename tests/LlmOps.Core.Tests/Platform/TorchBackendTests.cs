using System.Text.Json;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Platform;

/// <summary>The GPU switch: LlmOpsTorchBackend and the target OS decide which TorchSharp packages restore.
/// These evaluate the real project with MSBuild; no package is downloaded.</summary>
public class TorchBackendTests
{
    static async Task<string[]> PackagesFor(params string[] properties)
    {
        var result = await ProcessRunner.RunAsync("dotnet",
        [
            "msbuild", RepoPaths.Path("src", "LlmOps.Core", "LlmOps.Core.csproj"), "-getItem:PackageReference",
            "-p:TargetFramework=net10.0", .. properties.Select(p => $"-p:{p}"),
        ]);
        Assert.True(result.ExitCode == 0, result.Output);
        using var json = JsonDocument.Parse(result.Output[result.Output.IndexOf('{', StringComparison.Ordinal)..]);
        return json.RootElement.GetProperty("Items").GetProperty("PackageReference").EnumerateArray()
            .Select(item => item.GetProperty("Identity").GetString()!)
            .Where(id => id.Contains("torch", StringComparison.OrdinalIgnoreCase)) // the backend decides only these
            .Order(StringComparer.Ordinal).ToArray();
    }

    [Theory]
    [InlineData("linux-x64", new[] { "TorchSharp", "libtorch-cpu-linux-x64" })]
    [InlineData("win-x64", new[] { "TorchSharp", "libtorch-cpu-win-x64" })]
    [InlineData("osx-arm64", new[] { "TorchSharp", "libtorch-cpu-osx-arm64" })]
    public async Task The_cpu_backend_restores_one_libtorch_for_the_target_OS(string rid, string[] expected)
    {
        Assert.Equal(expected.Order(StringComparer.Ordinal), await PackagesFor($"LlmOpsTorchRid={rid}"));
    }

    [Fact]
    public async Task The_default_is_the_cpu_backend_for_the_building_machine()
    {
        Assert.Equal(new[] { "TorchSharp", "libtorch-cpu-linux-x64" }.Order(StringComparer.Ordinal), await PackagesFor());
    }

    [Theory]
    [InlineData("linux-x64", "TorchSharp-cuda-linux")]
    [InlineData("win-x64", "TorchSharp-cuda-windows")]
    public async Task The_cuda_backend_swaps_in_TorchSharps_cuda_package(string rid, string expected)
    {
        Assert.Equal(new[] { expected }, await PackagesFor("LlmOpsTorchBackend=cuda", $"LlmOpsTorchRid={rid}"));
    }

    [Theory]
    [InlineData("LlmOpsTorchBackend=cuda;LlmOpsTorchRid=osx-arm64", "no CUDA build for macOS")]
    [InlineData("LlmOpsTorchBackend=rocm", "must be 'cpu' or 'cuda'")]
    public async Task Impossible_backends_fail_the_build_with_a_reason(string properties, string message)
    {
        var result = await ProcessRunner.RunAsync("dotnet",
        [
            "msbuild", RepoPaths.Path("src", "LlmOps.Core", "LlmOps.Core.csproj"), "-t:LlmOpsCheckTorchBackend",
            "-p:TargetFramework=net10.0", .. properties.Split(';').Select(p => $"-p:{p}"),
        ]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Output, StringComparison.Ordinal);
    }
}
