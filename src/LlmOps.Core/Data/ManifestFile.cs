using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;

namespace LlmOps.Core.Data;

/// <summary>A file (or folder) a data run read or wrote, pinned by content hash.</summary>
/// <param name="Path">The path as given.</param>
/// <param name="Sha256">SHA-256 of the file; for a folder, of the sorted list of its files' relative paths and hashes.</param>
/// <param name="Bytes">Size in bytes (all files, for a folder).</param>
/// <param name="Files">How many files (1 for a file).</param>
/// <param name="Records">Documents it holds, when known.</param>
public sealed record ManifestFile(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("files")] int Files = 1,
    [property: JsonPropertyName("records")] long? Records = null)
{
    /// <summary>Hashes the file or folder at <paramref name="path"/>.</summary>
    public static ManifestFile Of(string path, long? records = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (File.Exists(path))
            return new ManifestFile(path, HashFile(path), new FileInfo(path).Length, 1, records);
        if (!Directory.Exists(path))
            throw new FileNotFoundException($"Cannot hash {path}: no such file or folder.", path);
        var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
            .Select(f => System.IO.Path.GetRelativePath(path, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal).ToList();
        var listing = new StringBuilder();
        long bytes = 0;
        foreach (string relative in files)
        {
            string full = System.IO.Path.Combine(path, relative);
            bytes += new FileInfo(full).Length;
            listing.Append(HashFile(full)).Append("  ").Append(relative).Append('\n');
        }
        return new ManifestFile(path, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(listing.ToString()))).ToLowerInvariant(), bytes, files.Count, records);
    }

    static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
    }
}
