namespace LlmOps.Core.Evaluation;

/// <summary>Which items of a suite overlap the training data.</summary>
/// <param name="N">The n-gram length used.</param>
/// <param name="Checked">Items checked (those with at least N words).</param>
/// <param name="Items">The contaminated items, in suite and data order.</param>
public sealed record ContaminationReport(int N, int Checked, IReadOnlyList<ContaminatedItem> Items)
{
    /// <summary>A copy of <paramref name="suite"/> whose tasks read data files without the contaminated lines, written
    /// into <paramref name="folder"/> (the suite's own files stay untouched). Few-shot examples are then drawn from the
    /// clean items only.</summary>
    /// <exception cref="InvalidOperationException">A task would be left with no items.</exception>
    public EvalSuite Exclude(EvalSuite suite, string folder)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Directory.CreateDirectory(folder);
        var tasks = new List<EvalTask>(suite.Tasks.Count);
        foreach (var task in suite.Tasks)
        {
            var drop = Items.Where(i => i.Task == task.Name).Select(i => i.Line).ToHashSet();
            if (drop.Count == 0)
            {
                tasks.Add(task);
                continue;
            }
            string[] kept = [.. File.ReadLines(task.Data).Where((line, index) => !drop.Contains(index + 1))];
            if (kept.All(string.IsNullOrWhiteSpace))
                throw new InvalidOperationException($"Task '{task.Name}': every item of {task.Data} overlaps the training data; nothing is left to evaluate.");
            string clean = Path.Combine(folder, $"{task.Name}.clean.jsonl");
            File.WriteAllLines(clean, kept);
            tasks.Add(task with { Data = clean });
        }
        return suite with { Tasks = tasks };
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Items.Count} of {Checked} items share a {N}-gram with the training data.";
}
