namespace LlmOps.Core.Tracking;

/// <summary>One logged value of a metric.</summary>
/// <param name="Step">The step it belongs to (optimizer step, epoch, ...).</param>
/// <param name="Value">The value.</param>
/// <param name="Time">When it was logged (UTC).</param>
public sealed record MetricPoint(long Step, double Value, DateTimeOffset Time);
