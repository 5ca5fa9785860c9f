using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LlmOps.Core.Data;

namespace LlmOps.Core.FineTuning.Instructions;

/// <summary>
/// Instruction data as JSON Lines, in either common shape: Alpaca records (<c>instruction</c>, <c>input</c>,
/// <c>output</c>) or chat records (<c>messages</c>: an optional system message, the user's, the assistant's answer).
/// Reading takes either, record by record, and treats bad records as the data stage does: an error naming the file,
/// line and field, or a line in the rejects file.
/// </summary>
public static class InstructionJsonl
{
    static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="examples"/> to <paramref name="path"/>, one record a line.</summary>
    public static async Task WriteAsync(string path, IEnumerable<InstructionExample> examples, InstructionShape shape, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
            Directory.CreateDirectory(folder);
        var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        await using (writer.ConfigureAwait(false))
        {
            foreach (var example in examples)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await writer.WriteAsync(ToJson(example, shape).AsMemory(), cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync("\n".AsMemory(), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One record as a JSON line (without the newline).</summary>
    public static string ToJson(InstructionExample example, InstructionShape shape)
    {
        ArgumentNullException.ThrowIfNull(example);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            if (shape == InstructionShape.Alpaca)
            {
                json.WriteString("instruction", example.Instruction);
                json.WriteString("input", example.Input);
                json.WriteString("output", example.Output);
                if (example.System is not null)
                    json.WriteString("system", example.System);
            }
            else
            {
                json.WriteStartArray("messages");
                foreach (var message in example.ToMessages())
                {
                    json.WriteStartObject();
                    json.WriteString("role", message.Role.Value);
                    json.WriteString("content", message.Text);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            if (example.Task is not null)
                json.WriteString("task", example.Task);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads a JSONL file of either shape (blank lines are skipped).</summary>
    /// <param name="path">The file.</param>
    /// <param name="onBadRecord">Fail on the first bad record (default), or write it to <paramref name="rejects"/> and go on.</param>
    /// <param name="rejects">Where rejected records go; required with <see cref="BadRecordPolicy.Reject"/>.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="DataFormatException">A record is neither shape or has a missing or wrong field (with
    /// <see cref="BadRecordPolicy.Fail"/>); the message names the file, line and field.</exception>
    public static async Task<InstructionReadResult> ReadAsync(string path, BadRecordPolicy onBadRecord = BadRecordPolicy.Fail, RejectsWriter? rejects = null,
        CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: no such instruction file.", path);
        if (onBadRecord == BadRecordPolicy.Reject && rejects is null)
            throw new ArgumentException("BadRecordPolicy.Reject needs a RejectsWriter to send bad records to.", nameof(rejects));
        var examples = new List<InstructionExample>();
        InstructionShape? shape = null;
        int rejected = 0;
        using var reader = new StreamReader(path, Encoding.UTF8);
        long lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            try
            {
                var (example, recordShape) = Parse(line, path, lineNumber);
                examples.Add(example);
                shape ??= recordShape;
            }
            catch (DataFormatException e) when (onBadRecord == BadRecordPolicy.Reject)
            {
                rejects!.Write("load", e.Reason, path, lineNumber, e.Field, text: line);
                rejected++;
            }
        }
        return new InstructionReadResult(examples, shape, rejected);
    }

    /// <summary>One record of either shape.</summary>
    /// <exception cref="DataFormatException">It is neither shape, or a field is missing or wrong.</exception>
    public static (InstructionExample Example, InstructionShape Shape) Parse(string line, string file = "(line)", long lineNumber = 0)
    {
        JsonElement record;
        try
        {
            using var document = JsonDocument.Parse(line);
            record = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new DataFormatException(file, lineNumber, null, $"not valid JSON: {e.Message}", e);
        }
        if (record.ValueKind != JsonValueKind.Object)
            throw new DataFormatException(file, lineNumber, null, $"a record must be a JSON object, not {record.ValueKind}");
        string? task = OptionalString(record, "task", file, lineNumber);
        if (record.TryGetProperty("messages", out var messages))
            return (Chat(messages, task, file, lineNumber), InstructionShape.Chat);
        if (record.TryGetProperty("instruction", out _))
        {
            string instruction = RequiredString(record, "instruction", file, lineNumber);
            string output = RequiredString(record, "output", file, lineNumber);
            string input = OptionalString(record, "input", file, lineNumber) ?? "";
            return (new InstructionExample(instruction, input, output, task, OptionalString(record, "system", file, lineNumber)), InstructionShape.Alpaca);
        }
        throw new DataFormatException(file, lineNumber, null,
            "neither an Alpaca record (\"instruction\", \"input\", \"output\") nor a chat record (\"messages\")");
    }

    static InstructionExample Chat(JsonElement messages, string? task, string file, long line)
    {
        if (messages.ValueKind != JsonValueKind.Array)
            throw new DataFormatException(file, line, "messages", $"must be an array of {{\"role\", \"content\"}} objects, not {messages.ValueKind}");
        var turns = new List<(string Role, string Content)>();
        int index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            string field = $"messages[{index++}]";
            if (message.ValueKind != JsonValueKind.Object)
                throw new DataFormatException(file, line, field, "must be an object with \"role\" and \"content\"");
            string role = RequiredString(message, "role", file, line, field + ".role");
            if (role is not ("system" or "user" or "assistant"))
                throw new DataFormatException(file, line, field + ".role", $"'{role}' is not system, user or assistant");
            turns.Add((role, RequiredString(message, "content", file, line, field + ".content", allowEmpty: role == "system")));
        }
        string[] roles = [.. turns.Select(t => t.Role)];
        bool single = roles.SequenceEqual(["user", "assistant"]) || roles.SequenceEqual(["system", "user", "assistant"]);
        if (!single)
            throw new DataFormatException(file, line, "messages",
                $"expected an optional system message, a user message and the assistant's answer; got [{string.Join(", ", roles)}]");
        return new InstructionExample(turns[^2].Content, "", turns[^1].Content, task, roles.Length == 3 ? turns[0].Content : null);
    }

    static string RequiredString(JsonElement record, string name, string file, long line, string? field = null, bool allowEmpty = false)
    {
        field ??= name;
        if (!record.TryGetProperty(name, out var value))
            throw new DataFormatException(file, line, field, "missing");
        if (value.ValueKind != JsonValueKind.String)
            throw new DataFormatException(file, line, field, $"must be a string, not {value.ValueKind}");
        string text = value.GetString()!;
        return allowEmpty || text.Trim().Length > 0 ? text : throw new DataFormatException(file, line, field, "empty");
    }

    static string? OptionalString(JsonElement record, string name, string file, long line) =>
        !record.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new DataFormatException(file, line, name, $"must be a string, not {value.ValueKind}");
}
