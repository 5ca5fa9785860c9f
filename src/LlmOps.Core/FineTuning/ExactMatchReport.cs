using System.Globalization;

namespace LlmOps.Core.FineTuning;

/// <summary>Exact match over a set of examples, overall and per task.</summary>
/// <param name="Rows">Every example's answer.</param>
public sealed record ExactMatchReport(IReadOnlyList<ExactMatchRow> Rows)
{
    /// <summary>Correct answers.</summary>
    public int Correct => Rows.Count(r => r.Correct);

    /// <summary>Share of correct answers, 0 to 1 (0 for no rows).</summary>
    public double Accuracy => Rows.Count == 0 ? 0 : (double)Correct / Rows.Count;

    /// <summary>Accuracy per task, in first-seen order.</summary>
    public IReadOnlyList<(string Task, double Accuracy, int Count)> ByTask() =>
        [.. Rows.GroupBy(r => r.Task).Select(g => (g.Key, g.Count(r => r.Correct) / (double)g.Count(), g.Count()))];

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"exact match {Accuracy:P1} ({Correct}/{Rows.Count})");
}
