using System.Globalization;

namespace LlmOps.Core.Evaluation;

/// <summary>A task's scores.</summary>
/// <param name="Task">The task's name.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Metrics">Metric name (as in the suite) to value, in the order the task lists them.</param>
/// <param name="Items">Every item's outcome, in data order.</param>
/// <param name="Count">Items scored (errored items excluded).</param>
/// <param name="Units">What was counted besides items (tokens, words, bytes for perplexity), by name.</param>
/// <param name="Errors">Items that could not be scored (<see cref="EvalItemResult.Error"/>); the metrics leave them out.</param>
public sealed record EvalResult(string Task, EvalTaskKind Kind, IReadOnlyDictionary<string, double> Metrics, IReadOnlyList<EvalItemResult> Items,
    int Count, IReadOnlyDictionary<string, long> Units, int Errors = 0)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{Task} ({Count} items{(Errors > 0 ? $", {Errors} errors" : "")}): "
        + string.Join(", ", Metrics.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value:G6}")));
}
