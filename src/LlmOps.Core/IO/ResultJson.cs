using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmOps.Core.IO;

/// <summary>The JSON of results written for people and scripts (a command's <c>--json</c> output, result files):
/// indented, camelCase, enums as names, NaN allowed.</summary>
public static class ResultJson
{
    /// <summary>The settings.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary><paramref name="value"/> as indented JSON.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Writes <paramref name="value"/> to <paramref name="path"/> atomically, so a reader never sees half of it.</summary>
    public static Task WriteFileAsync<T>(string path, T value, CancellationToken cancellationToken) =>
        AtomicFile.WriteAllTextAsync(path, Serialize(value), cancellationToken);
}
