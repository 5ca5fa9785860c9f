using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;

namespace LlmOps.Interactive.Engine.Execution;

/// <summary>
/// Resolves <c>#r "nuget: ..."</c> with a real NuGet restore: a throw-away project listing the packages is restored by
/// <c>dotnet restore</c>, and its <c>project.assets.json</c> gives the assemblies of every package, transitive ones
/// included. Restores are cached by their inputs, so a rerun is instant.
/// </summary>
sealed class NuGetRestorer(string cacheRoot)
{
    /// <summary>Restores <paramref name="packages"/> (with extra <paramref name="sources"/>) and returns the paths of
    /// their runtime assemblies for net10.0.</summary>
    /// <exception cref="InvalidOperationException">The restore failed; the message carries NuGet's own errors.</exception>
    public async Task<IReadOnlyList<string>> RestoreAsync(IReadOnlyList<PackageReference> packages, IReadOnlyList<string> sources, CancellationToken cancellationToken)
    {
        var project = new XElement("Project", new XAttribute("Sdk", "Microsoft.NET.Sdk"),
            new XElement("PropertyGroup",
                new XElement("TargetFramework", "net10.0"),
                new XElement("ManagePackageVersionsCentrally", "false"),
                new XElement("ImportDirectoryBuildProps", "false"),
                new XElement("ImportDirectoryBuildTargets", "false"),
                new XElement("ImportDirectoryPackagesProps", "false"),
                new XElement("RestoreAdditionalProjectSources", string.Join(';', sources))),
            new XElement("ItemGroup", packages.Select(p =>
                new XElement("PackageReference", new XAttribute("Include", p.Id), new XAttribute("Version", p.Version ?? "*")))));
        string text = project.ToString();
        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16].ToLowerInvariant();
        string folder = Path.Combine(cacheRoot, key);
        string assets = Path.Combine(folder, "obj", "project.assets.json");
        // A cached restore is only good while its packages are still on disk (the NuGet folder may have been cleared or moved).
        if (File.Exists(assets) && ReadRuntimeAssemblies(assets).All(File.Exists))
            return ReadRuntimeAssemblies(assets);
        {
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, "restore.csproj"), text, cancellationToken);
            // --force: a stale cache (its packages deleted) still looks up to date to NuGet's no-op check.
            var start = new ProcessStartInfo("dotnet", ["restore", "restore.csproj", "--nologo", "--force"])
            {
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                string messages = string.Join('\n', (await output + await error).Split('\n')
                    .Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Select(l => l.Trim()).Distinct());
                if (File.Exists(assets))
                    File.Delete(assets);
                throw new InvalidOperationException(
                    $"NuGet restore of {string.Join(", ", packages.Select(p => $"{p.Id} {p.Version}"))} failed:\n{messages}");
            }
        }
        return ReadRuntimeAssemblies(assets);
    }

    static List<string> ReadRuntimeAssemblies(string assetsPath)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(assetsPath));
        var root = json.RootElement;
        string packageFolder = root.GetProperty("packageFolders").EnumerateObject().First().Name;
        var libraries = root.GetProperty("libraries");
        var target = root.GetProperty("targets").EnumerateObject().First().Value;
        var paths = new List<string>();
        foreach (var package in target.EnumerateObject())
        {
            if (!package.Value.TryGetProperty("runtime", out var runtime))
                continue;
            string libraryPath = libraries.GetProperty(package.Name).GetProperty("path").GetString()!;
            foreach (var asset in runtime.EnumerateObject())
                if (asset.Name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
                    paths.Add(Path.GetFullPath(Path.Combine(packageFolder, libraryPath, asset.Name)));
        }
        return paths;
    }
}
