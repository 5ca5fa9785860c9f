using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using LlmOps.Core.IO;

namespace LlmOps.Core.Data;

/// <summary>
/// The record of one data run: what went in (with hashes), the exact configuration, what each step did, and what
/// came out (with hashes). Its <see cref="Id"/> is a hash of all of that except the time, so the same inputs and
/// settings always give the same id, and every later artifact (token shards, checkpoints, runs) can name the exact
/// data it came from.
/// </summary>
/// <param name="Id">Content id: the first 16 hex digits of the SHA-256 of the manifest without id and time.</param>
/// <param name="Kind">What the run did (<c>clean</c>, <c>split</c>, <c>mix</c>, ...).</param>
/// <param name="Created">When it was written (UTC); not part of the id.</param>
/// <param name="Inputs">Files or folders read.</param>
/// <param name="Config">The run's configuration as JSON.</param>
/// <param name="Steps">Per-step counts: name to {input, kept, removed, changed}.</param>
/// <param name="Outputs">Files written.</param>
public sealed record DataManifest(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("created")] DateTimeOffset Created,
    [property: JsonPropertyName("inputs")] IReadOnlyList<ManifestFile> Inputs,
    [property: JsonPropertyName("config")] JsonNode? Config,
    [property: JsonPropertyName("steps")] IReadOnlyList<ManifestStep> Steps,
    [property: JsonPropertyName("outputs")] IReadOnlyList<ManifestFile> Outputs)
{
    /// <summary>The usual file name of a manifest inside a run's output folder.</summary>
    public const string FileName = "manifest.json";

    static readonly JsonSerializerOptions Options = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>A manifest with its content id computed.</summary>
    public static DataManifest Create(string kind, IReadOnlyList<ManifestFile> inputs, object? config, IReadOnlyList<ManifestStep> steps, IReadOnlyList<ManifestFile> outputs)
    {
        var configNode = config is null ? null : JsonSerializer.SerializeToNode(config, config.GetType(), Options);
        var draft = new DataManifest("", kind, DateTimeOffset.UtcNow, inputs, configNode, steps, outputs);
        return draft with { Id = ComputeId(draft) };
    }

    /// <summary>Writes the manifest atomically as indented JSON.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Options) + "\n");

    /// <summary>Reads a manifest and checks its id against its content.</summary>
    /// <exception cref="InvalidDataException">The file is not a manifest, or its content no longer matches its id.</exception>
    public static DataManifest Load(string path)
    {
        DataManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<DataManifest>(File.ReadAllText(path), Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a data manifest ({e.Message}).", e);
        }
        if (manifest is null || string.IsNullOrEmpty(manifest.Id))
            throw new InvalidDataException($"{path}: not a data manifest (no id).");
        string expected = ComputeId(manifest);
        if (expected != manifest.Id)
            throw new InvalidDataException($"{path}: manifest id {manifest.Id} does not match its content ({expected}); it was edited after it was written.");
        return manifest;
    }

    /// <summary>Checks that every output still has the hash the manifest recorded; returns the paths that differ.</summary>
    public IReadOnlyList<string> ChangedOutputs(string? baseFolder = null) =>
        [.. Outputs.Where(o =>
        {
            string path = baseFolder is null ? o.Path : Path.Combine(baseFolder, o.Path);
            return !(File.Exists(path) || Directory.Exists(path)) || ManifestFile.Of(path).Sha256 != o.Sha256;
        }).Select(o => o.Path)];

    static string ComputeId(DataManifest manifest)
    {
        string canonical = JsonSerializer.Serialize(manifest with { Id = "", Created = default }, Options);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..16].ToLowerInvariant();
    }
}
