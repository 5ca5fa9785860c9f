using System.Text.Json;

namespace LlmOps.Core.IO;

/// <summary>
/// How every JSON config file loads: a missing file is a <see cref="FileNotFoundException"/>; bad JSON, an unknown
/// setting or values that cannot work are an <see cref="InvalidDataException"/> whose message starts with the path (and
/// the line, for JSON errors); relative paths inside are relative to the file's folder, so a config works from any
/// current folder.
/// </summary>
public static class ConfigFile
{
    /// <summary>Reads, resolves and validates the config at <paramref name="path"/>.</summary>
    /// <typeparam name="T">The config record.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="kind">What messages call it ("pretraining", "fine-tuning").</param>
    /// <param name="options">The record's JSON settings.</param>
    /// <param name="resolvePaths">Returns the config with its path settings passed through the given resolver.</param>
    /// <param name="validate">Returns the config or throws <see cref="ArgumentException"/> naming what cannot work.</param>
    public static T Load<T>(string path, string kind, JsonSerializerOptions options, Func<T, Func<string?, string?>, T> resolvePaths, Func<T, T> validate)
        where T : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(resolvePaths);
        ArgumentNullException.ThrowIfNull(validate);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: no such {kind} config file.", path);
        T? config;
        try
        {
            config = JsonSerializer.Deserialize<T>(File.ReadAllText(path), options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}:{(e.LineNumber ?? 0) + 1}: not a {kind} config: {e.Message}", e);
        }
        if (config is null)
            throw new InvalidDataException($"{path}: empty {kind} config.");
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        config = resolvePaths(config, p => p is null || Path.IsPathRooted(p) ? p : Path.GetFullPath(Path.Combine(folder, p)));
        try
        {
            return validate(config);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }
}
