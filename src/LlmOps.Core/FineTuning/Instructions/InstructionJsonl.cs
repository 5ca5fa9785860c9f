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
        await WriteLinesAsync(path, examples.Select(e => ToJson(e, shape)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="lines"/> as UTF-8 without a BOM, each followed by a newline: the layout every
    /// JSONL file of the project shares.</summary>
    internal static async Task WriteLinesAsync(string path, IEnumerable<string> lines, CancellationToken cancellationToken)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
            Directory.CreateDirectory(folder);
        var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        await using (writer.ConfigureAwait(false))
        {
            foreach (string line in lines)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await writer.WriteAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync("\n".AsMemory(), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A JSON object written to a string by <paramref name="write"/> (which writes its properties).</summary>
    internal static string JsonObject(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>One record as a JSON line (without the newline).</summary>
    public static string ToJson(InstructionExample example, InstructionShape shape)
    {
        ArgumentNullException.ThrowIfNull(example);
        return JsonObject(json =>
        {
            if (shape == InstructionShape.Alpaca)
            {
                json.WriteString("instruction", example.Instruction);
                json.WriteString("input", example.Input);
                json.WriteString("output", example.Output);
                if (example.System is not null)
                    json.WriteString("system", example.System);
            }
            else
                WriteMessages(json, "messages", example.ToMessages());
            if (example.Task is not null)
                json.WriteString("task", example.Task);
        });
    }

    /// <summary>Writes <paramref name="messages"/> as an array of <c>{"role", "content"}</c> objects.</summary>
    internal static void WriteMessages(Utf8JsonWriter json, string name, IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages)
    {
        json.WriteStartArray(name);
        foreach (var message in messages)
        {
            json.WriteStartObject();
            json.WriteString("role", message.Role.Value);
            json.WriteString("content", message.Text);
            json.WriteEndObject();
        }
        json.WriteEndArray();
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
        InstructionShape? shape = null;
        var (examples, rejected) = await ReadRecordsAsync(path, "instruction", (line, number) =>
        {
            var (example, recordShape) = Parse(line, path, number);
            shape ??= recordShape;
            return example;
        }, onBadRecord, rejects, cancellationToken).ConfigureAwait(false);
        return new InstructionReadResult(examples, shape, rejected);
    }

    /// <summary>Reads a JSONL file record by record with the data stage's policy for bad ones: <paramref name="parse"/>
    /// throws a <see cref="DataFormatException"/> naming the line and field, which fails the read or goes to
    /// <paramref name="rejects"/> with its reason. Blank lines are skipped.</summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What the file holds, for the missing-file message (<c>instruction</c>, <c>preference</c>).</param>
    /// <param name="parse">One line and its 1-based number to a record.</param>
    /// <param name="onBadRecord">Fail or reject.</param>
    /// <param name="rejects">Where rejected records go.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    internal static async Task<(List<T> Records, int Rejected)> ReadRecordsAsync<T>(string path, string what, Func<string, long, T> parse,
        BadRecordPolicy onBadRecord, RejectsWriter? rejects, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: no such {what} file.", path);
        if (onBadRecord == BadRecordPolicy.Reject && rejects is null)
            throw new ArgumentException("BadRecordPolicy.Reject needs a RejectsWriter to send bad records to.", nameof(rejects));
        var records = new List<T>();
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
                records.Add(parse(line, lineNumber));
            }
            catch (DataFormatException e) when (onBadRecord == BadRecordPolicy.Reject)
            {
                rejects!.Write("load", e.Reason, path, lineNumber, e.Field, text: line);
                rejected++;
            }
        }
        return (records, rejected);
    }

    /// <summary>One record of either shape.</summary>
    /// <exception cref="DataFormatException">It is neither shape, or a field is missing or wrong.</exception>
    public static (InstructionExample Example, InstructionShape Shape) Parse(string line, string file = "(line)", long lineNumber = 0)
    {
        var record = ParseObject(line, file, lineNumber);
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

    /// <summary>A line as a JSON object.</summary>
    /// <exception cref="DataFormatException">It is not valid JSON, or not an object.</exception>
    internal static JsonElement ParseObject(string line, string file, long lineNumber)
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
        return record.ValueKind == JsonValueKind.Object ? record
            : throw new DataFormatException(file, lineNumber, null, $"a record must be a JSON object, not {record.ValueKind}");
    }

    static InstructionExample Chat(JsonElement messages, string? task, string file, long line)
    {
        var turns = Messages(messages, "messages", file, line);
        string[] roles = [.. turns.Select(t => t.Role)];
        bool single = roles.SequenceEqual(["user", "assistant"]) || roles.SequenceEqual(["system", "user", "assistant"]);
        if (!single)
            throw new DataFormatException(file, line, "messages",
                $"expected an optional system message, a user message and the assistant's answer; got [{string.Join(", ", roles)}]");
        return new InstructionExample(turns[^2].Content, "", turns[^1].Content, task, roles.Length == 3 ? turns[0].Content : null);
    }

    /// <summary>An array of <c>{"role", "content"}</c> objects (roles system, user, assistant; only a system message may
    /// be empty), as (role, content) pairs.</summary>
    /// <exception cref="DataFormatException">It is not such an array; the field names the element.</exception>
    internal static List<(string Role, string Content)> Messages(JsonElement messages, string name, string file, long line)
    {
        if (messages.ValueKind != JsonValueKind.Array)
            throw new DataFormatException(file, line, name, $"must be an array of {{\"role\", \"content\"}} objects, not {messages.ValueKind}");
        var turns = new List<(string Role, string Content)>();
        int index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            string field = $"{name}[{index++}]";
            if (message.ValueKind != JsonValueKind.Object)
                throw new DataFormatException(file, line, field, "must be an object with \"role\" and \"content\"");
            string role = RequiredString(message, "role", file, line, field + ".role");
            if (role is not ("system" or "user" or "assistant"))
                throw new DataFormatException(file, line, field + ".role", $"'{role}' is not system, user or assistant");
            turns.Add((role, RequiredString(message, "content", file, line, field + ".content", allowEmpty: role == "system")));
        }
        return turns;
    }

    internal static string RequiredString(JsonElement record, string name, string file, long line, string? field = null, bool allowEmpty = false)
    {
        field ??= name;
        if (!record.TryGetProperty(name, out var value))
            throw new DataFormatException(file, line, field, "missing");
        if (value.ValueKind != JsonValueKind.String)
            throw new DataFormatException(file, line, field, $"must be a string, not {value.ValueKind}");
        string text = value.GetString()!;
        return allowEmpty || text.Trim().Length > 0 ? text : throw new DataFormatException(file, line, field, "empty");
    }

    internal static string? OptionalString(JsonElement record, string name, string file, long line) =>
        !record.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new DataFormatException(file, line, name, $"must be a string, not {value.ValueKind}");
}
