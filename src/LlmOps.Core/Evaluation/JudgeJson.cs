using System.Text.Json;

namespace LlmOps.Core.Evaluation;

/// <summary>Finds the JSON object in a judge's answer: the whole text, a fenced block, or the span from the first
/// <c>{</c> to the last <c>}</c> of prose around it.</summary>
static class JudgeJson
{
    public static JsonElement? Object(string raw)
    {
        int start = raw.IndexOf('{'), end = raw.LastIndexOf('}');
        if (start < 0 || end <= start)
            return null;
        try
        {
            using var document = JsonDocument.Parse(raw[start..(end + 1)], new JsonDocumentOptions { AllowTrailingCommas = true });
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The first of <paramref name="names"/> the object has (any case).</summary>
    public static JsonElement? Property(JsonElement json, params string[] names)
    {
        foreach (var property in json.EnumerateObject())
            if (names.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
                return property.Value;
        return null;
    }

    /// <summary>A string, or an array of strings joined with spaces; else null.</summary>
    public static string? Text(JsonElement? value) => value?.ValueKind switch
    {
        JsonValueKind.String => value.Value.GetString(),
        JsonValueKind.Array => string.Join(" ", value.Value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString())),
        _ => null,
    };
}
