using System.Text.Json;
using System.Text.Json.Serialization;
using LlmOps.Core.Data;

namespace LlmOps.Core.Evaluation;

/// <summary>One model's run of one suite, as saved to a results JSON file: the baseline a later run is gated against
/// and a row of a leaderboard.</summary>
/// <param name="Suite">The suite's name.</param>
/// <param name="Model">The model's name (a checkpoint folder's name).</param>
/// <param name="Tasks">Each task's scores, per-item outcomes included (the paired bootstrap resamples them).</param>
/// <param name="Parameters">The model's parameter count, when known.</param>
/// <param name="Seconds">Wall-clock seconds the suite took.</param>
/// <param name="TokensPerSecond">Tokens generated or read per second over the tasks that measured them
/// (<see cref="Throughput"/>), when measured.</param>
/// <param name="Lineage">Where the model, its training run and data, and the suite came from, when known.</param>
public sealed record EvalReport(string Suite, string Model, IReadOnlyList<EvalResult> Tasks, long? Parameters = null, double? Seconds = null,
    double? TokensPerSecond = null, EvalLineage? Lineage = null)
{
    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        WriteIndented = true,
        RespectRequiredConstructorParameters = true,
        // A model that gives a choice zero probability has an infinite perplexity; JSON has no literal for it otherwise.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new SnakeCaseEnumConverter<EvalTaskKind>("kind") },
    };

    /// <summary>Tokens per second over <paramref name="tasks"/>: their counted tokens (<see cref="EvalResult.ThroughputTokens"/>)
    /// over their seconds, tasks without both left out; null when none has them.</summary>
    public static double? Throughput(IEnumerable<EvalResult> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var measured = tasks.Where(t => t.ThroughputTokens is not null && t.Seconds is > 0).ToList();
        double seconds = measured.Sum(t => t.Seconds!.Value);
        return measured.Count == 0 ? null : measured.Sum(t => t.ThroughputTokens!.Value) / seconds;
    }

    /// <summary>The value of <paramref name="metric"/> on <paramref name="task"/>, or null when the report has none.</summary>
    public double? Value(string task, string metric) =>
        Tasks.FirstOrDefault(t => t.Task == task)?.Metrics.TryGetValue(metric, out double value) == true ? value : null;

    /// <summary>The report as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/>, creating its folder.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
            Directory.CreateDirectory(folder);
        File.WriteAllText(path, ToJson());
    }

    /// <summary>Reads a results file that <see cref="Save"/> wrote.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="DataFormatException">Not a results file: the message names the file, line and field.</exception>
    public static EvalReport Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: no such evaluation results file.", path);
        return FromJson(File.ReadAllText(path), path);
    }

    /// <summary>Reads results JSON that <see cref="ToJson"/> wrote.</summary>
    /// <param name="json">The JSON.</param>
    /// <param name="source">Where it came from, for error messages (a file, a run in a store).</param>
    /// <exception cref="DataFormatException">Not results JSON: the message names the source, line and field.</exception>
    public static EvalReport FromJson(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<EvalReport>(json, Json) ?? throw new DataFormatException(source, 0, null, "empty results (null)");
        }
        catch (JsonException e)
        {
            string? field = e.Path is null or "$" ? null : e.Path.TrimStart('$', '.');
            throw new DataFormatException(source, (e.LineNumber ?? 0) + 1, field, e.Message, e);
        }
    }
}
