using LlmOps.Core.Platform;
using LlmOps.Tests;
using TorchSharp;

namespace LlmOps.Core.Tests.Platform;

/// <summary>TorchSharp loads in every way the code runs: this test host, a build without the build-time fix
/// (the runtime route), and a published app. These share the probe's build output, so they run in order.</summary>
public class TorchRuntimeTests
{
    static readonly bool SystemNeedsPatch = LibTorchSharpPatch.SystemNeedsPatch(out _);

    [Fact]
    public void A_tensor_op_runs_in_the_test_host()
    {
        var report = TorchRuntime.EnsureInitialized();
        Assert.Equal(SystemNeedsPatch ? "patched-at-build" : "not-needed", report.Route);

        using var a = torch.ones(3, 3);
        using var product = a.matmul(a);
        Assert.Equal(27f, product.sum().item<float>());
    }

    static string Probe => RepoPaths.Output("tests/TorchSharpLoadProbe", "TorchSharpLoadProbe.dll");

    static Task<ProcessRunner.Result> RunProbe(string dll, string cache, bool fallback) =>
        ProcessRunner.RunAsync("dotnet", [dll], new Dictionary<string, string?>
        {
            [TorchRuntime.CacheVariable] = cache,
            [TorchRuntime.DisableVariable] = fallback ? null : "off",
        });

    [Fact]
    public async Task The_runtime_route_loads_torch_when_the_build_time_fix_did_not_run()
    {
        string shim = Path.Combine(Path.GetDirectoryName(Probe)!, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(LibTorchSharpPatch.HasStrongNeed(shim), $"the probe's shim {shim} should be as shipped");
        string cache = RepoPaths.NewTempFolder("llmops-native");

        var withFallback = await RunProbe(Probe, cache, fallback: true);
        Assert.True(withFallback.ExitCode == 0, withFallback.Output);
        Assert.Contains("result=83", withFallback.Output, StringComparison.Ordinal);
        if (!SystemNeedsPatch)
        {
            Assert.Contains("route=not-needed", withFallback.Output, StringComparison.Ordinal);
            return;
        }
        Assert.Contains("route=patched-private-copy", withFallback.Output, StringComparison.Ordinal);
        string copy = Assert.Single(Directory.GetFiles(cache, "libLibTorchSharp.so", SearchOption.AllDirectories));
        Assert.False(LibTorchSharpPatch.HasStrongNeed(copy));
        Assert.True(LibTorchSharpPatch.HasStrongNeed(shim), "the runtime route must leave the original file untouched");

        // The control: the same app with the runtime route off fails, and the loader names the missing version.
        var without = await RunProbe(Probe, cache, fallback: false);
        Assert.Equal(3, without.ExitCode);
        Assert.Contains("GLIBCXX_3.4.32", without.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_published_app_carries_the_build_time_fix()
    {
        string output = RepoPaths.NewTempFolder("llmops-publish");
        var publish = await ProcessRunner.RunAsync("dotnet",
        [
            "publish", RepoPaths.Path("tests", "TorchSharpLoadProbe", "TorchSharpLoadProbe.csproj"),
            "-c", "PublishCheck", "-o", output, "-p:LlmOpsPatchLibTorchSharp=true", "--nologo",
        ]);
        Assert.True(publish.ExitCode == 0, publish.Output);

        string shim = Path.Combine(output, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.Equal(SystemNeedsPatch, !LibTorchSharpPatch.HasStrongNeed(shim));
        var run = await RunProbe(Path.Combine(output, "TorchSharpLoadProbe.dll"), RepoPaths.NewTempFolder("llmops-native"), fallback: false);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("result=83", run.Output, StringComparison.Ordinal);
    }
}
