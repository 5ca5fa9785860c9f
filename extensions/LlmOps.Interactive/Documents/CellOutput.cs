using System.Text.Json.Nodes;

namespace LlmOps.Interactive.Documents;

/// <summary>
/// One output of a code cell, shaped like nbformat's: <c>stream</c> (Name + Text), <c>display_data</c> and
/// <c>execute_result</c> (Data, a MIME bundle), or <c>error</c> (EName, EValue, Traceback).
/// </summary>
public sealed class CellOutput
{
    /// <summary>Creates an output of <paramref name="outputType"/>.</summary>
    public CellOutput(string outputType) => OutputType = outputType;

    /// <summary>"stream", "display_data", "execute_result" or "error".</summary>
    public string OutputType { get; set; }

    /// <summary>For streams: "stdout" or "stderr".</summary>
    public string? Name { get; set; }

    /// <summary>For streams: the text.</summary>
    public string? Text { get; set; }

    /// <summary>For display_data and execute_result: MIME type to content. Text types are strings (the file may
    /// store them as line arrays; readers join them), JSON types are JSON.</summary>
    public JsonObject Data { get; set; } = [];

    /// <summary>Output metadata.</summary>
    public JsonObject Metadata { get; set; } = [];

    /// <summary>For execute_result: the execution count.</summary>
    public int? ExecutionCount { get; set; }

    /// <summary>For errors: the exception type name.</summary>
    public string? EName { get; set; }

    /// <summary>For errors: the message.</summary>
    public string? EValue { get; set; }

    /// <summary>For errors: the traceback lines.</summary>
    public List<string> Traceback { get; set; } = [];

    /// <summary>Fields other than the ones named above.</summary>
    public JsonObject Extra { get; set; } = [];

    /// <summary>The content for <paramref name="mimeType"/> as text, or null.</summary>
    public string? GetText(string mimeType) => Data[mimeType] switch
    {
        null => null,
        JsonValue value when value.TryGetValue(out string? text) => text,
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>())),
        JsonNode node => node.ToJsonString(),
    };

    /// <summary>A stream output.</summary>
    public static CellOutput Stream(string name, string text) => new("stream") { Name = name, Text = text };

    /// <summary>A display_data output with the given MIME bundle.</summary>
    public static CellOutput Display(IEnumerable<KeyValuePair<string, string>> bundle) => new("display_data") { Data = ToJson(bundle) };

    /// <summary>An execute_result output with the given MIME bundle.</summary>
    public static CellOutput Result(IEnumerable<KeyValuePair<string, string>> bundle, int executionCount) =>
        new("execute_result") { Data = ToJson(bundle), ExecutionCount = executionCount };

    /// <summary>An error output.</summary>
    public static CellOutput Error(string ename, string evalue, IEnumerable<string> traceback) =>
        new("error") { EName = ename, EValue = evalue, Traceback = [.. traceback] };

    static JsonObject ToJson(IEnumerable<KeyValuePair<string, string>> bundle)
    {
        var data = new JsonObject();
        foreach (var (mime, content) in bundle)
            data[mime] = Formatting.MimeRenderer.IsJson(mime) ? JsonNode.Parse(content) : content;
        return data;
    }
}
