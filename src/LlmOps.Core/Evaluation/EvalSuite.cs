using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using LlmOps.Core.Data;

namespace LlmOps.Core.Evaluation;

/// <summary>A named set of evaluation tasks, stored as a JSON file beside (or above) its data files.</summary>
/// <param name="Name">The suite's name.</param>
/// <param name="Tasks">Its tasks, run in order.</param>
public sealed record EvalSuite(string Name, IReadOnlyList<EvalTask> Tasks)
{
    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        WriteIndented = true,
        Converters = { new SnakeCaseEnumConverter<EvalTaskKind>("kind"), new SnakeCaseEnumConverter<EvalMetric>("metric") },
    };

    /// <summary>Reads the suite at <paramref name="path"/>, makes each task's data path absolute (relative paths are
    /// relative to the suite file) and checks it.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="DataFormatException">Malformed JSON, an unknown kind or metric, a missing or impossible
    /// setting: the message names the file, the line (for what the JSON reader sees) and the field
    /// (<c>tasks[1].metrics[0]</c>).</exception>
    public static EvalSuite Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: no such evaluation suite file.", path);
        byte[] json = File.ReadAllBytes(path);
        EvalSuite? suite;
        try
        {
            suite = JsonSerializer.Deserialize<EvalSuite>(json, Json);
        }
        catch (JsonException e)
        {
            string? field = e.Path is null or "$" ? null : e.Path.TrimStart('$', '.');
            throw new DataFormatException(path, (e.LineNumber ?? 0) + 1, field, ReasonOf(e), e);
        }
        if (suite is null)
            throw new DataFormatException(path, 0, null, "empty suite (null)");
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        suite = suite with
        {
            Tasks = [.. suite.Tasks.Select(t => t with { Data = Path.IsPathRooted(t.Data) ? t.Data : Path.GetFullPath(Path.Combine(folder, t.Data)) })],
        };
        return suite.Validate(path, FieldLines(json));
    }

    /// <summary>Writes the suite as JSON (data paths as they are).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Throws <see cref="DataFormatException"/> naming <paramref name="file"/> and the field for settings that
    /// cannot work; returns the suite otherwise.</summary>
    public EvalSuite Validate(string file = "(suite)") => Validate(file, null);

    EvalSuite Validate(string file, IReadOnlyDictionary<string, long>? lines)
    {
        // The line of the field, else of the nearest enclosing value the file has (a missing setting: its task).
        DataFormatException Bad(string field, string reason, Exception? inner = null)
        {
            long line = 0;
            for (string at = field; lines is not null && line == 0 && at.Length > 0; at = at[..Math.Max(0, at.LastIndexOfAny(['.', '[']))])
                line = lines.GetValueOrDefault(at);
            return new DataFormatException(file, line, field, reason, inner);
        }

        if (string.IsNullOrWhiteSpace(Name))
            throw Bad("name", "must not be empty");
        if (Tasks.Count == 0)
            throw Bad("tasks", "a suite needs at least one task");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Tasks.Count; i++)
        {
            var task = Tasks[i];
            string at = $"tasks[{i}]";
            if (string.IsNullOrWhiteSpace(task.Name))
                throw Bad($"{at}.name", "must not be empty");
            if (!seen.Add(task.Name))
                throw Bad($"{at}.name", $"task '{task.Name}' is named twice");
            if (string.IsNullOrWhiteSpace(task.Data))
                throw Bad($"{at}.data", "must name a JSONL file");
            if (task.Metrics.Count == 0)
                throw Bad($"{at}.metrics", "list at least one metric");
            var allowed = EvalMetrics.For(task.Kind);
            for (int m = 0; m < task.Metrics.Count; m++)
                if (!allowed.Contains(task.Metrics[m]))
                    throw Bad($"{at}.metrics[{m}]",
                        $"'{EvalMetrics.Name(task.Metrics[m])}' is not a {EvalMetrics.Name(task.Kind)} metric; use {string.Join(", ", allowed.Select(EvalMetrics.Name))}");
            if (task.FewShot < 0)
                throw Bad($"{at}.fewShot", $"must be 0 or more, not {task.FewShot}");
            if (task.FewShot > 0 && task.Kind == EvalTaskKind.LoglikelihoodRolling)
                throw Bad($"{at}.fewShot", "loglikelihood_rolling scores whole documents and takes no few-shot examples");
            if (task.Generation is { MaxTokens: < 1 } generation)
                throw Bad($"{at}.generation.maxTokens", $"must be at least 1, not {generation.MaxTokens}");
            bool wantsPattern = task.Metrics.Contains(EvalMetric.Regex);
            if (wantsPattern && string.IsNullOrEmpty(task.AnswerPattern))
                throw Bad($"{at}.answerPattern", "the regex metric needs a pattern to extract the answer with");
            if (task.Metrics.Contains(EvalMetric.Judge) && string.IsNullOrWhiteSpace(task.Judge?.Rubric))
                throw Bad($"{at}.judge.rubric", "the judge metric needs a rubric: what a good answer is, in words");
            if (task.Judge?.Endpoint is { } judgeEndpoint)
            {
                try
                {
                    judgeEndpoint.Validate();
                }
                catch (ArgumentException e)
                {
                    throw Bad($"{at}.judge.endpoint", e.Message, e);
                }
            }
            if (task.AnswerPattern is { } pattern)
            {
                try
                {
                    _ = new Regex(pattern);
                }
                catch (ArgumentException e)
                {
                    throw Bad($"{at}.answerPattern", $"not a regular expression: {e.Message}", e);
                }
            }
        }
        return this;
    }

    /// <summary>The line of every field in <paramref name="json"/>, by the path validation names it with
    /// (<c>tasks[1].metrics[0]</c>, any case): the serializer reports lines for what it rejects, validation looks
    /// them up here for what it rejects afterwards.</summary>
    static Dictionary<string, long> FieldLines(byte[] json)
    {
        var lines = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var frames = new Stack<(string Prefix, bool Array, int Index, string? Property)>();
        long line = 1;
        int counted = 0;
        while (reader.Read())
        {
            for (; counted < reader.TokenStartIndex; counted++)
                if (json[counted] == (byte)'\n')
                    line++;
            if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                frames.Pop();
                continue;
            }
            string path = "";
            if (frames.TryPop(out var frame))
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    frame.Property = reader.GetString();
                    path = frame.Prefix.Length == 0 ? frame.Property! : $"{frame.Prefix}.{frame.Property}";
                    lines.TryAdd(path, line);
                    frames.Push(frame);
                    continue;
                }
                if (frame.Array)
                {
                    frame.Index++;
                    path = $"{frame.Prefix}[{frame.Index}]";
                    lines.TryAdd(path, line);
                }
                else
                    path = frame.Prefix.Length == 0 ? frame.Property ?? "" : $"{frame.Prefix}.{frame.Property}";
                frames.Push(frame);
            }
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                frames.Push((path, reader.TokenType == JsonTokenType.StartArray, -1, null));
        }
        return lines;
    }

    /// <summary>The serializer's reason without the location it appends (the exception names that already).</summary>
    static string ReasonOf(JsonException e)
    {
        int at = e.Message.IndexOf(" Path:", StringComparison.Ordinal);
        return at > 0 ? e.Message[..at] : e.Message;
    }
}
