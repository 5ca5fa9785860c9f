using System.Text.RegularExpressions;
using LlmOps.Core.Platform;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Platform;

public class LibTorchSharpPatchTests
{
    /// <summary>The shim exactly as TorchSharp ships it, from the NuGet package folder.</summary>
    static string ShippedShim()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
    }

    static async Task<List<(string Name, string Flags)>> ReadelfVersionNeeds(string path)
    {
        var result = await ProcessRunner.RunAsync("readelf", ["-V", "-W", path]);
        Assert.Equal(0, result.ExitCode);
        return Regex.Matches(result.Output, @"Name: (\S+)\s+Flags: (\S+)")
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
    }

    [Fact]
    public async Task Reads_the_same_version_needs_as_readelf()
    {
        string shim = ShippedShim();
        var ours = LibTorchSharpPatch.ReadVersionNeeds(shim);
        var theirs = await ReadelfVersionNeeds(shim);

        Assert.Equal(theirs.Select(n => n.Name), ours.Select(n => n.Version));
        Assert.Contains(ours, n => n.Library == "libstdc++.so.6" && n.Version == "GLIBCXX_3.4.32" && !n.IsWeak);
        Assert.True(LibTorchSharpPatch.HasStrongNeed(shim));
    }

    [Fact]
    public async Task Patching_sets_only_the_weak_flag_and_is_idempotent()
    {
        string folder = RepoPaths.NewTempFolder("llmops-patch");
        string copy = Path.Combine(folder, "libLibTorchSharp.so");
        byte[] original = await File.ReadAllBytesAsync(ShippedShim());

        Assert.Equal(1, LibTorchSharpPatch.PatchFile(ShippedShim(), copy));
        byte[] patched = await File.ReadAllBytesAsync(copy);

        Assert.Equal(original.Length, patched.Length);
        var differing = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToList();
        Assert.Single(differing);
        Assert.Equal(original[differing[0]] | 0x2, patched[differing[0]]);
        var needs = await ReadelfVersionNeeds(copy);
        Assert.Equal("WEAK", needs.Single(n => n.Name == "GLIBCXX_3.4.32").Flags);
        Assert.All(needs.Where(n => n.Name != "GLIBCXX_3.4.32"), n => Assert.Equal("none", n.Flags));

        Assert.Equal(0, LibTorchSharpPatch.PatchFile(copy, copy));
        Assert.Equal(patched, await File.ReadAllBytesAsync(copy));
        Assert.False(LibTorchSharpPatch.HasStrongNeed(copy));
        Assert.Single(Directory.GetFiles(folder)); // no temporary file left behind
    }

    [Fact]
    public async Task A_file_that_is_not_ELF_is_rejected_with_its_path()
    {
        string path = Path.Combine(RepoPaths.NewTempFolder("llmops-patch"), "notes.txt");
        await File.WriteAllTextAsync(path, "not a shared library");

        var error = Assert.Throws<InvalidDataException>(() => LibTorchSharpPatch.ReadVersionNeeds(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not an ELF file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_ELF_file_is_rejected_with_its_path()
    {
        string path = Path.Combine(RepoPaths.NewTempFolder("llmops-patch"), "cut.so");
        await File.WriteAllBytesAsync(path, (await File.ReadAllBytesAsync(ShippedShim()))[..4096]);

        var error = Assert.Throws<InvalidDataException>(() => LibTorchSharpPatch.ReadVersionNeeds(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detects_whether_a_libstdcxx_provides_the_missing_version()
    {
        string folder = RepoPaths.NewTempFolder("llmops-patch");
        string gcc13 = Path.Combine(folder, "gcc13-libstdc++.so.6");
        string gcc12 = Path.Combine(folder, "gcc12-libstdc++.so.6");
        await File.WriteAllBytesAsync(gcc13, [.. "\0GLIBCXX_3.4.31\0GLIBCXX_3.4.32\0"u8]);
        await File.WriteAllBytesAsync(gcc12, [.. "\0GLIBCXX_3.4.30\0GLIBCXX_3.4.321\0"u8]);

        Assert.True(LibTorchSharpPatch.Provides(gcc13));
        Assert.False(LibTorchSharpPatch.Provides(gcc12));
    }

    [Fact]
    public async Task The_system_check_agrees_with_the_libstdcxx_this_process_uses()
    {
        string? libStdCxx = LibTorchSharpPatch.FindSystemLibStdCxx();
        Assert.NotNull(libStdCxx);
        var definitions = await ProcessRunner.RunAsync("readelf", ["-V", "-W", libStdCxx]);
        bool hasVersion = definitions.Output.Contains("GLIBCXX_3.4.32", StringComparison.Ordinal);

        Assert.Equal(!hasVersion, LibTorchSharpPatch.SystemNeedsPatch(out string reason));
        Assert.Contains(libStdCxx, reason, StringComparison.Ordinal);
    }
}
