using System.Globalization;
using LlmOps.Core.Tracking;

namespace LlmOps.Core.Display;

/// <summary>The run store's records as tables: the console and text/plain show these; the HTML forms add charts.</summary>
public static class TrackingText
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>One row per run, newest first, with its latest loss-like metrics.</summary>
    public static TextTable Runs(RunList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        return new TextTable($"Runs in {list.StorePath}", ["id", "name", "kind", "status", "started", "minutes", "data", "latest metrics"],
            [.. list.Runs.Select(r => new[]
            {
                r.Id, r.Name, r.Kind, r.Status.ToString().ToLowerInvariant(), r.Started.ToString("yyyy-MM-dd HH:mm", Invariant),
                r.Ended is { } ended ? (ended - r.Started).TotalMinutes.ToString("F1", Invariant) : "",
                r.DataManifest ?? "", Metrics(r.LastMetrics),
            })]);
    }

    /// <summary>One run: its row, config and artifacts.</summary>
    public static TextTable Run(RunDetails run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var s = run.Summary;
        List<string[]> rows =
        [
            ["id", s.Id], ["kind", s.Kind], ["status", s.Status.ToString().ToLowerInvariant()],
            ["started", s.Started.ToString("u", Invariant)], ["ended", s.Ended?.ToString("u", Invariant) ?? ""],
            ["git commit", s.GitCommit ?? "unknown"], ["data manifest", s.DataManifest ?? ""],
            ["config", run.Config?.ToJsonString() ?? ""], ["latest metrics", Metrics(s.LastMetrics)],
        ];
        // The chain back to the data: each ancestor with the data it read; a parent recorded elsewhere ends it.
        rows.AddRange(run.Lineage.Select((a, i) => new[]
        {
            i == 0 ? "parent run" : "  its parent", $"{a.Kind} {a.Id} ({a.Name}), data manifest {a.DataManifest ?? "unknown"}",
        }));
        if ((run.Lineage.Count > 0 ? run.Lineage[^1].ParentRun : s.ParentRun) is { } elsewhere)
            rows.Add([run.Lineage.Count == 0 ? "parent run" : "  its parent", $"{elsewhere} (not in this store)"]);
        rows.AddRange(run.Artifacts.Select(a => new[] { $"artifact {a.Name}", $"{a.Path} ({a.Bytes:N0} bytes, sha256 {a.Sha256[..12]}…)" }));
        rows.AddRange(run.Resumes.Select(r => new[]
        {
            "resumed", string.Create(Invariant, $"from step {r.Step} at {r.Time:u} (was {r.PreviousStatus.ToString().ToLowerInvariant()})"),
        }));
        if (run.Notes is { } notes)
            rows.Add(["notes", notes]);
        return new TextTable($"Run {s.Name}", ["field", "value"], rows);
    }

    /// <summary>Runs side by side: final metrics, and only the config keys that differ.</summary>
    public static TextTable Comparison(RunComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var header = new List<string> { "" };
        header.AddRange(comparison.Runs.Select(r => $"{r.Summary.Name} ({r.Summary.Id[..15]})"));
        var rows = comparison.Metrics.Select(m => new[] { $"final {m}" }
            .Concat(comparison.Runs.Select(r => r.Metrics.TryGetValue(m, out var points) && points.Count > 0 ? points[^1].Value.ToString("G5", Invariant) : "—"))
            .ToArray()).ToList();
        rows.AddRange(comparison.ConfigDifferences.Select(d => new[] { d.Key }.Concat(d.Value).ToArray()));
        return new TextTable("Run comparison (config rows: only what differs)", header, rows);
    }


    static string Metrics(IReadOnlyDictionary<string, double> metrics) =>
        string.Join(", ", metrics.Take(4).Select(m => $"{m.Key} {m.Value.ToString("G4", Invariant)}"));
}
