using LlmOps.Core.IO;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmOps.Cli.Output;

/// <summary>The JSON settings every verb's <c>--json</c> output and result files use.</summary>
static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Writes <paramref name="value"/> to <paramref name="path"/> atomically, so a reader never sees half of it.</summary>
    public static Task WriteFileAsync<T>(string path, T value, CancellationToken cancellationToken) =>
        AtomicFile.WriteAllTextAsync(path, Serialize(value), cancellationToken);
}
