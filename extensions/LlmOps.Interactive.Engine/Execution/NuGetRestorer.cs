using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;

namespace LlmOps.Interactive.Engine.Execution;

/// <summary>
/// Resolves <c>#r "nuget: ..."</c> with a real NuGet restore: a throw-away project listing the packages is restored by
/// <c>dotnet restore</c>, and its <c>project.assets.json</c> gives the assemblies of every package, transitive ones
/// included. Restores are cached by their inputs, so a rerun is instant, except where a version floats (<c>*-*</c>,
/// <c>0.1.*</c>, none given): the newest version may have changed since, so NuGet is asked again, as the kernel does.
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
        // A cached restore is only good while its packages are still on disk (the NuGet folder may have been cleared or moved)
        // and names exact versions.
        bool floating = packages.Any(p => p.Version is null || p.Version.Contains('*', StringComparison.Ordinal));
        if (!floating && File.Exists(assets) && ReadRuntimeAssemblies(assets).All(File.Exists))
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

    /// <summary>
    /// The package sources that nuget.config files in <paramref name="folder"/> and the folders above it add, nearest
    /// first, up to one that clears the list; relative folders are resolved against their file, as NuGet does. Why: the
    /// kernel restores with the notebook folder's configuration (notebooks/nuget.config names ../artifacts/packages),
    /// while our restore project lives in a cache folder that would not see it. Local folders that do not exist are left
    /// out: NuGet fails a whole restore on a missing local source (NU1301), and a notebook that restores a third-party
    /// package must not fail because our own packages are not packed yet (the runner provides those itself).
    /// </summary>
    public static IReadOnlyList<string> ConfigSources(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var found = new List<string>();
        for (var dir = new DirectoryInfo(Path.GetFullPath(folder)); dir is not null; dir = dir.Parent)
        {
            if (!dir.Exists)
                continue;
            var config = dir.EnumerateFiles().FirstOrDefault(f => f.Name.Equals("nuget.config", StringComparison.OrdinalIgnoreCase));
            if (config is null)
                continue;
            XElement? sourcesElement;
            try
            {
                sourcesElement = XDocument.Load(config.FullName).Root?.Element("packageSources");
            }
            catch (System.Xml.XmlException)
            {
                continue; // NuGet itself reports a broken config when the restore reads it
            }
            if (sourcesElement is null)
                continue;
            foreach (var add in sourcesElement.Elements("add"))
            {
                string? value = add.Attribute("value")?.Value;
                if (string.IsNullOrWhiteSpace(value))
                    continue;
                if (value.Contains("://", StringComparison.Ordinal))
                    found.Add(value);
                else if (Path.GetFullPath(value, dir.FullName) is var local && Directory.Exists(local))
                    found.Add(local);
            }
            if (sourcesElement.Element("clear") is not null)
                break;
        }
        return [.. found.Distinct(StringComparer.Ordinal)];
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
