using System.Globalization;

namespace LlmOps.Core.Evaluation;

/// <summary>A task's scores.</summary>
/// <param name="Task">The task's name.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Metrics">Metric name (as in the suite) to value, in the order the task lists them.</param>
/// <param name="Items">Every item's outcome, in data order.</param>
/// <param name="Count">Items scored (errored items excluded).</param>
/// <param name="Units">What was counted besides items (tokens, words, bytes for perplexity; <see cref="GeneratedTokens"/>
/// or <see cref="InputTokens"/> for throughput), by name.</param>
/// <param name="Errors">Items that could not be scored (<see cref="EvalItemResult.Error"/>); the metrics leave them out.</param>
/// <param name="Seconds">Wall-clock seconds the task took, when measured.</param>
public sealed record EvalResult(string Task, EvalTaskKind Kind, IReadOnlyDictionary<string, double> Metrics, IReadOnlyList<EvalItemResult> Items,
    int Count, IReadOnlyDictionary<string, long> Units, int Errors = 0, double? Seconds = null)
{
    /// <summary>The unit counting the tokens a generate_until task generated (as the model's usage reports them).</summary>
    public const string GeneratedTokens = "generated_tokens";

    /// <summary>The unit counting the tokens a log-likelihood task had the model read (padding excluded).</summary>
    public const string InputTokens = "input_tokens";

    /// <summary>Tokens generated (generate_until) or read (log-likelihood tasks) per second; null when not measured
    /// (a chat client that reports no usage, or no time).</summary>
    public double? TokensPerSecond => ThroughputTokens is { } tokens && Seconds is > 0 and { } seconds ? tokens / seconds : null;

    /// <summary>The tokens <see cref="TokensPerSecond"/> counts, when counted.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long? ThroughputTokens =>
        Units.TryGetValue(GeneratedTokens, out long generated) ? generated : Units.TryGetValue(InputTokens, out long read) ? read : null;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Task} ({Count} items{(Errors > 0 ? $", {Errors} errors" : "")}): "
        + string.Join(", ", Metrics.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value:G6}")));
}
