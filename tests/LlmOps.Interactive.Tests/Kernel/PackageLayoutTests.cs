using System.IO.Compression;
using System.Xml.Linq;
using LlmOps.Tests;

namespace LlmOps.Interactive.Tests.Kernel;

public class PackageLayoutTests
{
    [Fact]
    public async Task The_package_carries_the_extension_script_and_a_library_for_the_kernels_framework_only()
    {
        string output = RepoPaths.NewTempFolder("llmops-pack");
        var pack = await ProcessRunner.RunAsync("dotnet",
        [
            "pack", RepoPaths.Path("extensions", "LlmOps.Interactive", "LlmOps.Interactive.csproj"),
            "-c", "PackCheck", "-o", output, "--nologo",
        ]);
        Assert.True(pack.ExitCode == 0, pack.Output);

        string package = Assert.Single(Directory.GetFiles(output, "LlmOps.Interactive.*.nupkg"));
        using var zip = ZipFile.OpenRead(package);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("interactive-extensions/dotnet/extension.dib", entries);
        // One library, for the framework of the kernel users have and CI tests (1.0.712001 runs on net10.0): a target
        // that no test loads in a kernel is not shipped (environment.md).
        var libraries = entries.Where(e => e.StartsWith("lib/", StringComparison.Ordinal)).ToList();
        Assert.Equal(["lib/net10.0/LlmOps.Interactive.dll", "lib/net10.0/LlmOps.Interactive.xml"], libraries.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(entries, e => e.StartsWith("interactive-extensions/", StringComparison.Ordinal) && e.EndsWith(".dll", StringComparison.Ordinal));

        using var script = new StreamReader(zip.GetEntry("interactive-extensions/dotnet/extension.dib")!.Open());
        Assert.Equal(await File.ReadAllTextAsync(RepoPaths.Path("extensions", "LlmOps.Interactive", "Kernel", "extension.dib")), await script.ReadToEndAsync());

        // The kernel loads our dependencies from NuGet: LlmOps.Core is one, the kernel's own Formatting is not.
        var nuspecEntry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var nuspecStream = nuspecEntry.Open();
        var nuspec = XDocument.Load(nuspecStream);
        var groups = nuspec.Descendants().Where(e => e.Name.LocalName == "group").Select(e => e.Attribute("targetFramework")!.Value);
        Assert.Equal(["net10.0"], groups);
        var ids = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")!.Value).ToHashSet();
        Assert.Contains("LlmOps.Core", ids);
        Assert.Contains("Plotly.NET", ids);
        Assert.DoesNotContain("Microsoft.DotNet.Interactive.Formatting", ids);
    }
}
