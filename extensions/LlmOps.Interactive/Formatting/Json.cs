using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmOps.Interactive.Formatting;

/// <summary>JSON for embedding inside a <c>&lt;script&gt;</c> element.</summary>
static class Json
{
    // The default encoder escapes <, > and & as \u003C etc., so no value can close the script element.
    static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    public static string ForScript(JsonNode? node) => node is null ? "null" : node.ToJsonString(Options);

    public static string ForScript<T>(T value) => JsonSerializer.Serialize(value, Options);
}
