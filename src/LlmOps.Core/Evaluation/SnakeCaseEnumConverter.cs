using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmOps.Core.Evaluation;

/// <summary>Enums as the harness spells them (<c>generate_until</c>, <c>acc_norm</c>), with an error that lists the
/// names allowed; the serializer adds the line and path.</summary>
sealed class SnakeCaseEnumConverter<T>(string label) : JsonConverter<T>
    where T : struct, Enum
{
    static readonly Dictionary<string, T> ByName = Enum.GetValues<T>().ToDictionary(v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()), StringComparer.Ordinal);

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string? name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        if (name is not null && ByName.TryGetValue(name, out var value))
            return value;
        string shown = name is null ? $"a {reader.TokenType.ToString().ToLowerInvariant()}" : $"'{name}'";
        throw new JsonException($"unknown {label} {shown}; expected one of {string.Join(", ", ByName.Keys)}");
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString()));
    }
}
