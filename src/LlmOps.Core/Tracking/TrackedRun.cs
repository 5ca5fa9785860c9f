using LlmOps.Core.Data;
using Microsoft.Data.Sqlite;

namespace LlmOps.Core.Tracking;

/// <summary>
/// A run being recorded: log metrics as they come, record artifacts, then finish with a status. Logging is one small
/// SQLite insert, cheap enough to call every step; <see cref="Dispose"/> marks a run that was never finished as failed,
/// so an exception in a training loop inside a <c>using</c> still leaves an honest record.
/// </summary>
public sealed class TrackedRun : IDisposable
{
    readonly RunStore store;
    bool ended;

    internal TrackedRun(RunStore store, string id)
    {
        this.store = store;
        Id = id;
    }

    /// <summary>The run's id.</summary>
    public string Id { get; }

    /// <summary>Records <paramref name="value"/> for <paramref name="metric"/> at <paramref name="step"/>.</summary>
    public void Log(long step, string metric, double value) => Log(step, [new(metric, value)]);

    /// <summary>Records several metrics of one step in one transaction, which is also the run's heartbeat.</summary>
    public void Log(long step, IEnumerable<KeyValuePair<string, double>> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        store.Execute(connection =>
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO metrics (run_id, step, name, value, time) VALUES ($run, $step, $name, $value, $time)";
            var name = command.Parameters.Add("$name", SqliteType.Text);
            var value = command.Parameters.Add("$value", SqliteType.Real);
            command.Parameters.AddWithValue("$run", Id);
            command.Parameters.AddWithValue("$step", step);
            command.Parameters.AddWithValue("$time", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            foreach (var (metric, number) in metrics)
            {
                name.Value = metric;
                value.Value = double.IsFinite(number) ? number : DBNull.Value; // SQLite has no NaN: a gap in the curve
                command.ExecuteNonQuery();
            }
            using var heartbeat = connection.CreateCommand();
            heartbeat.Transaction = transaction;
            heartbeat.CommandText = "UPDATE runs SET heartbeat = $time WHERE id = $run";
            heartbeat.Parameters.AddWithValue("$time", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            heartbeat.Parameters.AddWithValue("$run", Id);
            heartbeat.ExecuteNonQuery();
            transaction.Commit();
        });
    }

    /// <summary>Records a file or folder the run produced, with its hash.</summary>
    public RunArtifact AddArtifact(string name, string path)
    {
        var file = ManifestFile.Of(path);
        var artifact = new RunArtifact(name, Path.GetFullPath(path), file.Sha256, file.Bytes);
        store.Execute(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO artifacts (run_id, name, path, sha256, bytes) VALUES ($run, $name, $path, $sha, $bytes)";
            command.Parameters.AddWithValue("$run", Id);
            command.Parameters.AddWithValue("$name", artifact.Name);
            command.Parameters.AddWithValue("$path", artifact.Path);
            command.Parameters.AddWithValue("$sha", artifact.Sha256);
            command.Parameters.AddWithValue("$bytes", artifact.Bytes);
            command.ExecuteNonQuery();
        });
        return artifact;
    }

    /// <summary>Keeps <paramref name="content"/> (a results JSON, say) in the store as the run's document
    /// <paramref name="name"/>, replacing an earlier one of that name; <see cref="RunStore.Documents"/> reads it back.</summary>
    public void AddDocument(string name, string content)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(content);
        store.Execute(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT OR REPLACE INTO documents (run_id, name, content) VALUES ($run, $name, $content)";
            command.Parameters.AddWithValue("$run", Id);
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$content", content);
            command.ExecuteNonQuery();
        });
    }

    /// <summary>Ends the run with <paramref name="status"/> and optional notes (an error message, say).</summary>
    public void Finish(RunStatus status = RunStatus.Finished, string? notes = null)
    {
        store.Execute(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE runs SET status = $status, ended = $ended, notes = coalesce($notes, notes) WHERE id = $run";
            command.Parameters.AddWithValue("$status", status.ToString());
            command.Parameters.AddWithValue("$ended", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$notes", (object?)notes ?? DBNull.Value);
            command.Parameters.AddWithValue("$run", Id);
            command.ExecuteNonQuery();
        });
        ended = true;
    }

    /// <summary>Marks a run that was never finished as failed.</summary>
    public void Dispose()
    {
        if (!ended)
            Finish(RunStatus.Failed, "the run ended without being finished (an exception or an early exit)");
    }
}
