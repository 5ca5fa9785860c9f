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
        EvalSuite? suite;
        try
        {
            suite = JsonSerializer.Deserialize<EvalSuite>(File.ReadAllText(path), Json);
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
        suite.Validate(path);
        return suite;
    }

    /// <summary>Writes the suite as JSON (data paths as they are).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Throws <see cref="DataFormatException"/> naming <paramref name="file"/> and the field for settings that
    /// cannot work; returns the suite otherwise.</summary>
    public EvalSuite Validate(string file = "(suite)")
    {
        if (string.IsNullOrWhiteSpace(Name))
            throw new DataFormatException(file, 0, "name", "must not be empty");
        if (Tasks.Count == 0)
            throw new DataFormatException(file, 0, "tasks", "a suite needs at least one task");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Tasks.Count; i++)
        {
            var task = Tasks[i];
            string at = $"tasks[{i}]";
            if (string.IsNullOrWhiteSpace(task.Name))
                throw new DataFormatException(file, 0, $"{at}.name", "must not be empty");
            if (!seen.Add(task.Name))
                throw new DataFormatException(file, 0, $"{at}.name", $"task '{task.Name}' is named twice");
            if (string.IsNullOrWhiteSpace(task.Data))
                throw new DataFormatException(file, 0, $"{at}.data", "must name a JSONL file");
            if (task.Metrics.Count == 0)
                throw new DataFormatException(file, 0, $"{at}.metrics", "list at least one metric");
            var allowed = EvalMetrics.For(task.Kind);
            for (int m = 0; m < task.Metrics.Count; m++)
                if (!allowed.Contains(task.Metrics[m]))
                    throw new DataFormatException(file, 0, $"{at}.metrics[{m}]",
                        $"'{EvalMetrics.Name(task.Metrics[m])}' is not a {EvalMetrics.Name(task.Kind)} metric; use {string.Join(", ", allowed.Select(EvalMetrics.Name))}");
            if (task.FewShot < 0)
                throw new DataFormatException(file, 0, $"{at}.fewShot", $"must be 0 or more, not {task.FewShot}");
            if (task.FewShot > 0 && task.Kind == EvalTaskKind.LoglikelihoodRolling)
                throw new DataFormatException(file, 0, $"{at}.fewShot", "loglikelihood_rolling scores whole documents and takes no few-shot examples");
            if (task.Generation is { MaxTokens: < 1 } generation)
                throw new DataFormatException(file, 0, $"{at}.generation.maxTokens", $"must be at least 1, not {generation.MaxTokens}");
            bool wantsPattern = task.Metrics.Contains(EvalMetric.Regex);
            if (wantsPattern && string.IsNullOrEmpty(task.AnswerPattern))
                throw new DataFormatException(file, 0, $"{at}.answerPattern", "the regex metric needs a pattern to extract the answer with");
            if (task.AnswerPattern is { } pattern)
            {
                try
                {
                    _ = new Regex(pattern);
                }
                catch (ArgumentException e)
                {
                    throw new DataFormatException(file, 0, $"{at}.answerPattern", $"not a regular expression: {e.Message}", e);
                }
            }
        }
        return this;
    }

    /// <summary>The serializer's reason without the location it appends (the exception names that already).</summary>
    static string ReasonOf(JsonException e)
    {
        int at = e.Message.IndexOf(" Path:", StringComparison.Ordinal);
        return at > 0 ? e.Message[..at] : e.Message;
    }
}
