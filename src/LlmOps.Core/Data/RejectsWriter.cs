using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmOps.Core.Data;

/// <summary>
/// The rejects file: one JSON line per record a step refused, with the step, the reason and where it came from, so
/// nothing is ever dropped silently and every rejection can be inspected or replayed. Safe to share between threads.
/// </summary>
public sealed class RejectsWriter : IDisposable
{
    static readonly JsonSerializerOptions Options = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
    readonly StreamWriter writer;
    readonly object gate = new();

    /// <summary>Opens (appends to) the rejects file at <paramref name="path"/>.</summary>
    public RejectsWriter(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        writer = new StreamWriter(Path, append: true, new System.Text.UTF8Encoding(false));
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>How many records were written through this writer.</summary>
    public int Count { get; private set; }

    /// <summary>Records one rejection.</summary>
    /// <param name="step">The step that refused it (load, quality, dedup, ...).</param>
    /// <param name="reason">Why, in words.</param>
    /// <param name="file">The input file, when known.</param>
    /// <param name="line">The input line, when known.</param>
    /// <param name="field">The field to blame, when one is.</param>
    /// <param name="id">The document id, when it has one.</param>
    /// <param name="text">The record's text or raw line (kept whole so it can be replayed).</param>
    public void Write(string step, string reason, string? file = null, long? line = null, string? field = null, string? id = null, string? text = null)
    {
        string json = JsonSerializer.Serialize(new Rejection(step, reason, file, line, field, id, text), Options);
        lock (gate)
        {
            writer.WriteLine(json);
            writer.Flush();
            Count++;
        }
    }

    /// <inheritdoc />
    public void Dispose() => writer.Dispose();

    sealed record Rejection(
        [property: JsonPropertyName("step")] string Step,
        [property: JsonPropertyName("reason")] string Reason,
        [property: JsonPropertyName("file")] string? File,
        [property: JsonPropertyName("line")] long? Line,
        [property: JsonPropertyName("field")] string? Field,
        [property: JsonPropertyName("id")] string? Id,
        [property: JsonPropertyName("text")] string? Text);
}
