using System.IO.Compression;
using System.Xml.Linq;
using LlmOps.Tests;

namespace LlmOps.Interactive.Tests.Kernel;

/// <summary>
/// artifacts/packages/LlmOps.Interactive.0.0.0-not-packed.nupkg is committed so that a clone that has not packed yet
/// still has the package source notebooks/nuget.config names, and the first cell answers with the command to run
/// rather than NuGet's NU1301. It is built from build/not-packed; this test keeps the two the same and rewrites the
/// package when LLMOPS_WRITE_GENERATED=1. Change its version with its content: NuGet caches a package by version, so a
/// machine that restored the old one would keep showing it. (KernelNotebookTests runs it in the real kernel.)
/// </summary>
public class NotPackedPackageTests
{
    static readonly string Committed = RepoPaths.Path("artifacts", "packages", "LlmOps.Interactive.0.0.0-not-packed.nupkg");

    static readonly (string Entry, string Source)[] Files =
    [
        ("LlmOps.Interactive.nuspec", RepoPaths.Path("build", "not-packed", "LlmOps.Interactive.nuspec")),
        ("interactive-extensions/dotnet/extension.dib", RepoPaths.Path("build", "not-packed", "extension.dib")),
    ];

    [Fact]
    public async Task The_committed_placeholder_is_built_from_its_sources_and_names_the_readmes_pack_command()
    {
        if (Environment.GetEnvironmentVariable("LLMOPS_WRITE_GENERATED") == "1")
            Write();
        Assert.True(File.Exists(Committed), $"missing {Committed}: run this test with LLMOPS_WRITE_GENERATED=1");

        using (var zip = ZipFile.OpenRead(Committed))
        {
            Assert.Equal(Files.Select(f => f.Entry).Order(), zip.Entries.Select(e => e.FullName).Order());
            foreach (var (entry, source) in Files)
            {
                using var reader = new StreamReader(zip.GetEntry(entry)!.Open());
                Assert.True(await reader.ReadToEndAsync() == await File.ReadAllTextAsync(source),
                    $"{Committed} is stale ({entry}): run this test with LLMOPS_WRITE_GENERATED=1");
            }
        }

        // Below every real build (0.1.0-dev.*), so a notebook's *-* takes the placeholder only when nothing was packed.
        var nuspec = XDocument.Load(Files[0].Source).Root!;
        Assert.Equal("0.0.0-not-packed", nuspec.Descendants().Single(e => e.Name.LocalName == "version").Value);
        // The command it names is the pack step of the README's first command, so following either gives the same result.
        string pack = "dotnet pack LlmOps.Notebooks.sln -c Release -o artifacts/packages";
        Assert.Contains(pack, (await File.ReadAllLinesAsync(RepoPaths.Path("README.md"))).First(l => l.StartsWith("dotnet ", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains(pack, await File.ReadAllTextAsync(Files[1].Source), StringComparison.Ordinal);
    }

    static void Write()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Committed)!);
        using var zip = ZipFile.Open(Committed, ZipArchiveMode.Create);
        foreach (var (entry, source) in Files)
        {
            var item = zip.CreateEntry(entry, CompressionLevel.Optimal);
            item.LastWriteTime = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero); // rewriting gives the same bytes
            using var stream = item.Open();
            stream.Write(File.ReadAllBytes(source));
        }
    }
}
