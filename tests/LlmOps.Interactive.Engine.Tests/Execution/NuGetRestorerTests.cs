using System.IO.Compression;
using LlmOps.Interactive.Commands;
using LlmOps.Interactive.Engine.Execution;
using LlmOps.Tests;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LlmOps.Interactive.Engine.Tests.Execution;

public class NuGetRestorerTests
{
    /// <summary>Writes a real package to <paramref name="feed"/>: one assembly whose Probe.Version says which version it is.</summary>
    static void WritePackage(string feed, string id, string version)
    {
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is "System.Runtime.dll" or "System.Private.CoreLib.dll").Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(id, [CSharpSyntaxTree.ParseText($"public static class Probe {{ public static string Version => \"{version}\"; }}")],
            framework, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        Assert.True(compilation.Emit(image).Success);

        Directory.CreateDirectory(feed);
        using var zip = ZipFile.Open(Path.Combine(feed, $"{id}.{version}.nupkg"), ZipArchiveMode.Create);
        using (var nuspec = new StreamWriter(zip.CreateEntry($"{id}.nuspec").Open()))
            nuspec.Write($"""
                <?xml version="1.0" encoding="utf-8"?>
                <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
                  <metadata><id>{id}</id><version>{version}</version><authors>tests</authors><description>probe</description></metadata>
                </package>
                """);
        using var dll = zip.CreateEntry($"lib/net10.0/{id}.dll").Open();
        image.Position = 0;
        image.CopyTo(dll);
    }

    [Fact]
    public async Task A_floating_version_takes_the_newest_prerelease_and_is_asked_again_after_a_new_build()
    {
        string feed = RepoPaths.NewTempFolder("llmops-feed");
        string id = $"LlmOps.Tests.Probe{Guid.NewGuid():N}";
        WritePackage(feed, id, "0.1.0-dev.20261130000001");
        WritePackage(feed, id, "0.1.0-dev.20261130000002");
        var restorer = new NuGetRestorer(RepoPaths.NewTempFolder("llmops-restore"));

        var first = await restorer.RestoreAsync([new PackageReference(id, "*-*")], [feed], CancellationToken.None);
        Assert.Contains("/0.1.0-dev.20261130000002/", Assert.Single(first), StringComparison.Ordinal);

        // A rebuilt package: the same request in the same cache now resolves to it (an exact version would stay cached).
        WritePackage(feed, id, "0.1.0-dev.20261130000003");
        var second = await restorer.RestoreAsync([new PackageReference(id, "*-*")], [feed], CancellationToken.None);
        Assert.Contains("/0.1.0-dev.20261130000003/", Assert.Single(second), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cell_restores_from_the_nuget_config_beside_the_notebook_as_the_kernel_does()
    {
        // repo/notebooks/nuget.config names ../artifacts/packages, relative to itself; no #i line in the cell.
        string repo = RepoPaths.NewTempFolder("llmops-clone");
        string notebooks = Path.Combine(repo, "notebooks");
        Directory.CreateDirectory(notebooks);
        await File.WriteAllTextAsync(Path.Combine(notebooks, "nuget.config"), """
            <configuration><packageSources><add key="local" value="../artifacts/packages" /></packageSources></configuration>
            """);
        string id = $"LlmOps.Tests.Probe{Guid.NewGuid():N}";
        WritePackage(Path.Combine(repo, "artifacts", "packages"), id, "0.1.0-dev.20261130000007");
        var session = new ScriptSession(new ScriptSessionOptions(CommandTable.CreateDefault(), notebooks) { PackageCache = RepoPaths.NewTempFolder("llmops-restore") });

        var result = await session.RunCellAsync($"#r \"nuget: {id}, *-*\"\nProbe.Version");

        Assert.True(result.Status == CellStatus.Ok, result.Error);
        Assert.Equal("0.1.0-dev.20261130000007", result.Outputs[^1].GetText("text/plain"));
    }

    [Fact]
    public async Task A_disposed_session_no_longer_resolves_the_assemblies_it_restored()
    {
        string feed = RepoPaths.NewTempFolder("llmops-feed");
        string kept = $"LlmOps.Tests.Probe{Guid.NewGuid():N}", released = $"LlmOps.Tests.Probe{Guid.NewGuid():N}";
        WritePackage(feed, kept, "1.0.0");
        WritePackage(feed, released, "1.0.0");
        var session = new ScriptSession(new ScriptSessionOptions(CommandTable.CreateDefault(), RepoPaths.NewTempFolder("llmops-cells")) { PackageCache = RepoPaths.NewTempFolder("llmops-restore") });

        // Restored, not yet loaded: they live in the restore cache, outside the app's folder, found by the session's resolver.
        var restore = await session.RunCellAsync($"#i \"nuget: {feed}\"\n#r \"nuget: {kept}, 1.0.0\"\n#r \"nuget: {released}, 1.0.0\"");
        Assert.True(restore.Status == CellStatus.Ok, restore.Error);
        Assert.Equal(kept, System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyName(new System.Reflection.AssemblyName(kept)).GetName().Name);

        session.Dispose();

        Assert.Throws<FileNotFoundException>(() => System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyName(new System.Reflection.AssemblyName(released)));
        Assert.Equal(CellStatus.Error, (await session.RunCellAsync("1 + 1")).Status);
    }

    [Fact]
    public void Config_sources_resolve_against_their_file_skip_missing_folders_and_stop_at_clear()
    {
        string root = RepoPaths.NewTempFolder("llmops-configs");
        string inner = Path.Combine(root, "a", "b");
        Directory.CreateDirectory(inner);
        Directory.CreateDirectory(Path.Combine(root, "a", "feed"));
        File.WriteAllText(Path.Combine(inner, "NuGet.Config"), """
            <configuration><packageSources>
              <add key="here" value="../feed" /><add key="missing" value="../not-built" /><add key="web" value="https://example.org/v3/index.json" />
            </packageSources></configuration>
            """);
        File.WriteAllText(Path.Combine(root, "a", "nuget.config"), """<configuration><packageSources><clear /><add key="mid" value="feed" /></packageSources></configuration>""");
        File.WriteAllText(Path.Combine(root, "nuget.config"), """<configuration><packageSources><add key="above-clear" value="https://never.example/" /></packageSources></configuration>""");

        var sources = NuGetRestorer.ConfigSources(inner);

        Assert.Equal([Path.Combine(root, "a", "feed"), "https://example.org/v3/index.json"], sources);
    }
}
