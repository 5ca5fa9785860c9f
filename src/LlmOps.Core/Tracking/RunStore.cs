using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace LlmOps.Core.Tracking;

/// <summary>
/// Runs, their configs, metrics over time and artifacts, in one SQLite file (as MLflow's local store does, minus the
/// server): training and evaluation write to it, <c>#!runs</c> and <c>llmops runs</c> read it. Each call opens its own
/// connection (pooled by Microsoft.Data.Sqlite) and the database is in WAL mode, so a notebook can read while a run
/// writes.
/// </summary>
public sealed class RunStore
{
    static readonly JsonSerializerOptions ConfigOptions = new() { WriteIndented = false, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };
    readonly string connectionString;

    RunStore(string path, TimeSpan staleAfter)
    {
        Path = System.IO.Path.GetFullPath(path);
        StaleAfter = staleAfter;
        connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true }.ToString();
    }

    /// <summary>The SQLite file.</summary>
    public string Path { get; }

    /// <summary>The usual store: <c>$LLMOPS_RUNS</c>, else <c>artifacts/runs.db</c> under the current folder.</summary>
    public static string DefaultPath() =>
        Environment.GetEnvironmentVariable("LLMOPS_RUNS") is { Length: > 0 } path ? path : System.IO.Path.Combine("artifacts", "runs.db");

    /// <summary>Opens (creating if needed) the store at <paramref name="path"/>, bringing an older file's schema up to
    /// date first (its version is SQLite's <c>user_version</c>).</summary>
    /// <param name="path">The SQLite file; <see cref="DefaultPath"/> when null.</param>
    /// <param name="staleAfter">See <see cref="StaleAfter"/>; 15 minutes when null.</param>
    /// <exception cref="InvalidDataException">The file was written by a newer schema than this build reads.</exception>
    public static RunStore Open(string? path = null, TimeSpan? staleAfter = null)
    {
        var store = new RunStore(path ?? DefaultPath(), staleAfter ?? TimeSpan.FromMinutes(15));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(store.Path)!);
        store.Execute(RunStoreSchema.Migrate);
        return store;
    }

    /// <summary>How long a run on another host may go without a heartbeat before it is taken for dead. A run on this
    /// host is judged by its process instead, at once. Every logged metric is a heartbeat, and trainers log every step,
    /// so only a step slower than this would be misjudged.</summary>
    public TimeSpan StaleAfter { get; }

    /// <summary>Starts recording a run.</summary>
    /// <param name="name">A human name ("baby-gpt lr 1e-3").</param>
    /// <param name="kind">What kind of work: pretrain, finetune, eval, ...</param>
    /// <param name="config">The run's configuration (any record); stored as JSON and shown when comparing runs.</param>
    /// <param name="dataManifest">The id of the data manifest the run reads (see Data.DataManifest).</param>
    /// <param name="gitCommit">The code's commit; by default asked of git in the current folder (null outside a checkout).</param>
    /// <param name="parentRun">The id of the run whose output this one uses (an evaluation names its model's training
    /// run), kept as given: that run may be recorded in another store.</param>
    public TrackedRun StartRun(string name, string kind, object? config = null, string? dataManifest = null, string? gitCommit = null, string? parentRun = null)
    {
        string id = $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid():N}"[..22];
        string? configJson = config is null ? null : JsonSerializer.Serialize(config, config.GetType(), ConfigOptions);
        Execute(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO runs (id, name, kind, status, started, git_commit, data_manifest, config, host, pid, process_started, heartbeat, parent_run)
                VALUES ($id, $name, $kind, $status, $started, $git, $data, $config, $host, $pid, $process_started, $started, $parent)
                """;
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$kind", kind);
            command.Parameters.AddWithValue("$status", nameof(RunStatus.Running));
            command.Parameters.AddWithValue("$started", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$git", (object?)(gitCommit ?? CurrentGitCommit()) ?? DBNull.Value);
            command.Parameters.AddWithValue("$data", (object?)dataManifest ?? DBNull.Value);
            command.Parameters.AddWithValue("$config", (object?)configJson ?? DBNull.Value);
            command.Parameters.AddWithValue("$parent", (object?)parentRun ?? DBNull.Value);
            RunOwner.Current.AddParameters(command);
            command.ExecuteNonQuery();
        });
        return new TrackedRun(this, id);
    }

    /// <summary>Continues the run <paramref name="id"/> in this process, as a training resumed from a checkpoint does:
    /// one record with one set of curves, however often the work was interrupted. Metrics logged after
    /// <paramref name="fromStep"/> are dropped, since the checkpoint does not hold that work and the resumed run logs
    /// those steps again; the resume is recorded (<see cref="RunDetails.Resumes"/>).</summary>
    /// <param name="id">The run's id (a unique prefix is enough).</param>
    /// <param name="fromStep">The step of the checkpoint the work continues from.</param>
    /// <exception cref="KeyNotFoundException">No run has that id.</exception>
    /// <exception cref="InvalidOperationException">The run is still going in another live process.</exception>
    public TrackedRun ResumeRun(string id, long fromStep)
    {
        MarkDeadRuns();
        string fullId = "";
        Execute(connection =>
        {
            fullId = Resolve(connection, id);
            var (status, owner) = ReadOwner(connection, fullId);
            if (status == RunStatus.Running && owner is { } other && !other.IsThisProcess && other.IsAlive())
                throw new InvalidOperationException(
                    $"Run {fullId} is still running in process {other.ProcessId} on {other.Host}; stop that process before resuming the run.");
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                DELETE FROM metrics WHERE run_id = $id AND step > $step;
                INSERT INTO resumes (run_id, step, time, previous_status) VALUES ($id, $step, $now, $previous);
                UPDATE runs SET status = $running, ended = NULL, host = $host, pid = $pid, process_started = $process_started,
                    heartbeat = $now WHERE id = $id;
                """;
            command.Parameters.AddWithValue("$id", fullId);
            command.Parameters.AddWithValue("$step", fromStep);
            command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$previous", status.ToString());
            command.Parameters.AddWithValue("$running", nameof(RunStatus.Running));
            RunOwner.Current.AddParameters(command);
            command.ExecuteNonQuery();
            transaction.Commit();
        });
        return new TrackedRun(this, fullId);
    }

    /// <summary>Marks as <see cref="RunStatus.Killed"/> every run still recorded as running whose process is gone: on
    /// this host, its process id no longer names the process that started it; elsewhere, its last heartbeat is older
    /// than <see cref="StaleAfter"/>. Listing and reading runs call it, so a crashed run never shows as running.</summary>
    /// <returns>How many runs it marked.</returns>
    public int MarkDeadRuns()
    {
        var dead = Query(connection =>
        {
            var found = new List<(string Id, long Heartbeat, string Why)>();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT id, host, pid, process_started, coalesce(heartbeat, started) FROM runs WHERE status = $running";
            command.Parameters.AddWithValue("$running", nameof(RunStatus.Running));
            using var reader = command.ExecuteReader();
            long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            while (reader.Read())
            {
                var owner = RunOwner.Read(reader, 1);
                long heartbeat = reader.GetInt64(4);
                string? why = owner is { IsThisHost: true }
                    ? owner.IsAlive() ? null : $"its process ({owner.ProcessId} on {owner.Host}) ended without finishing it"
                    : now - heartbeat > StaleAfter.TotalMilliseconds
                        ? string.Create(CultureInfo.InvariantCulture, $"no heartbeat for {(now - heartbeat) / 60000.0:F0} minutes (limit {StaleAfter.TotalMinutes:F0}) from {owner?.Host ?? "an unrecorded host"}")
                        : null;
                if (why is not null)
                    found.Add((reader.GetString(0), heartbeat, why));
            }
            return found;
        });
        foreach (var (runId, heartbeat, why) in dead)
        {
            Execute(connection =>
            {
                using var command = connection.CreateCommand();
                // Guarded by the status, so a run that finished or resumed in the meantime is left alone.
                command.CommandText = "UPDATE runs SET status = $killed, ended = $heartbeat, notes = $notes WHERE id = $id AND status = $running";
                command.Parameters.AddWithValue("$killed", nameof(RunStatus.Killed));
                command.Parameters.AddWithValue("$running", nameof(RunStatus.Running));
                command.Parameters.AddWithValue("$heartbeat", heartbeat);
                command.Parameters.AddWithValue("$notes", $"Killed: {why}; the last heartbeat is its end time. A training run resumes from its last checkpoint into this same record.");
                command.Parameters.AddWithValue("$id", runId);
                command.ExecuteNonQuery();
            });
        }
        return dead.Count;
    }

    /// <summary>Every run, newest first, with its latest metric values. Runs whose process died are marked first.</summary>
    public RunList List()
    {
        MarkDeadRuns();
        return new(Path, Query(connection =>
        {
            var runs = new List<RunSummary>();
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {SummaryColumns} FROM runs ORDER BY started DESC, id DESC";
            using var reader = command.ExecuteReader();
            while (reader.Read())
                runs.Add(ReadSummary(reader, LastMetrics(connection, reader.GetString(0))));
            return runs;
        }));
    }

    /// <summary>One run in full.</summary>
    /// <exception cref="KeyNotFoundException">No run has that id (a unique prefix is enough); the message says so.</exception>
    public RunDetails Get(string id)
    {
        MarkDeadRuns();
        return Query(connection =>
        {
            string fullId = Resolve(connection, id);
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {SummaryColumns}, config, notes FROM runs WHERE id = $id";
            command.Parameters.AddWithValue("$id", fullId);
            using var reader = command.ExecuteReader();
            reader.Read();
            var summary = ReadSummary(reader, LastMetrics(connection, fullId));
            JsonNode? config = reader.IsDBNull(9) ? null : JsonNode.Parse(reader.GetString(9));
            string? notes = reader.IsDBNull(10) ? null : reader.GetString(10);

            var metrics = new Dictionary<string, List<MetricPoint>>(StringComparer.Ordinal);
            using (var series = connection.CreateCommand())
            {
                series.CommandText = "SELECT name, step, value, time FROM metrics WHERE run_id = $id ORDER BY name, step, rowid";
                series.Parameters.AddWithValue("$id", fullId);
                using var rows = series.ExecuteReader();
                while (rows.Read())
                {
                    if (!metrics.TryGetValue(rows.GetString(0), out var list))
                        metrics[rows.GetString(0)] = list = [];
                    list.Add(new MetricPoint(rows.GetInt64(1), rows.IsDBNull(2) ? double.NaN : rows.GetDouble(2), DateTimeOffset.FromUnixTimeMilliseconds(rows.GetInt64(3))));
                }
            }
            var artifacts = new List<RunArtifact>();
            using (var files = connection.CreateCommand())
            {
                files.CommandText = "SELECT name, path, sha256, bytes FROM artifacts WHERE run_id = $id ORDER BY rowid";
                files.Parameters.AddWithValue("$id", fullId);
                using var rows = files.ExecuteReader();
                while (rows.Read())
                    artifacts.Add(new RunArtifact(rows.GetString(0), rows.GetString(1), rows.GetString(2), rows.GetInt64(3)));
            }
            var resumes = new List<RunResume>();
            using (var history = connection.CreateCommand())
            {
                history.CommandText = "SELECT step, time, previous_status FROM resumes WHERE run_id = $id ORDER BY rowid";
                history.Parameters.AddWithValue("$id", fullId);
                using var rows = history.ExecuteReader();
                while (rows.Read())
                    resumes.Add(new RunResume(rows.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(rows.GetInt64(1)), Enum.Parse<RunStatus>(rows.GetString(2))));
            }
            return new RunDetails(summary, config, metrics.ToDictionary(m => m.Key, m => (IReadOnlyList<MetricPoint>)m.Value, StringComparer.Ordinal),
                artifacts, notes, resumes, Ancestors(connection, summary));
        });
    }

    /// <summary>The documents named <paramref name="name"/> of every run (of <paramref name="kind"/> when given), oldest
    /// run first.</summary>
    /// <param name="name">The documents' role, as <see cref="TrackedRun.AddDocument"/> was given it.</param>
    /// <param name="kind">Only runs of this kind, or all.</param>
    /// <param name="status">Only runs with this status, or all.</param>
    public IReadOnlyList<RunDocument> Documents(string name, string? kind = null, RunStatus? status = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Query(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT d.run_id, d.content FROM documents d JOIN runs r ON r.id = d.run_id
                WHERE d.name = $name AND ($kind IS NULL OR r.kind = $kind) AND ($status IS NULL OR r.status = $status)
                ORDER BY r.started, r.id
                """;
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$kind", (object?)kind ?? DBNull.Value);
            command.Parameters.AddWithValue("$status", (object?)status?.ToString() ?? DBNull.Value);
            using var reader = command.ExecuteReader();
            var documents = new List<RunDocument>();
            while (reader.Read())
                documents.Add(new RunDocument(reader.GetString(0), name, reader.GetString(1)));
            return documents;
        });
    }

    /// <summary>The chain of parent runs recorded in this store, parent first; a cycle (only a hand-edited store has
    /// one) ends the walk.</summary>
    static List<RunSummary> Ancestors(SqliteConnection connection, RunSummary run)
    {
        var chain = new List<RunSummary>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { run.Id };
        for (string? parent = run.ParentRun; parent is not null && seen.Add(parent);)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {SummaryColumns} FROM runs WHERE id = $id";
            command.Parameters.AddWithValue("$id", parent);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
                break;
            var summary = ReadSummary(reader, LastMetrics(connection, parent));
            chain.Add(summary);
            parent = summary.ParentRun;
        }
        return chain;
    }

    /// <summary>Overlays <paramref name="metrics"/> of several runs and lists the config keys that differ.</summary>
    public RunComparison Compare(IReadOnlyList<string> ids, IReadOnlyList<string>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var runs = ids.Select(Get).ToList();
        var names = metrics ?? [.. runs.SelectMany(r => r.Metrics.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var flat = runs.Select(r => Flatten(r.Config)).ToList();
        var differences = flat.SelectMany(f => f.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(key => (key, values: flat.Select(f => f.GetValueOrDefault(key) ?? "—").ToList()))
            .Where(d => d.values.Distinct(StringComparer.Ordinal).Count() > 1)
            .ToDictionary(d => d.key, d => (IReadOnlyList<string>)d.values, StringComparer.Ordinal);
        return new RunComparison(names, runs, differences);
    }

    internal void Execute(Action<SqliteConnection> action) => Query(connection =>
    {
        action(connection);
        return 0;
    });

    T Query<T>(Func<SqliteConnection, T> query)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using (var busy = connection.CreateCommand())
            {
            busy.CommandText = "PRAGMA busy_timeout = 5000"; // a reader and a writer in two processes wait, not fail
            busy.ExecuteNonQuery();
        }
        return query(connection);
    }

    static string Resolve(SqliteConnection connection, string id)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM runs WHERE id LIKE $prefix ESCAPE '\\' ORDER BY id LIMIT 2";
        command.Parameters.AddWithValue("$prefix", id.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%");
        using var reader = command.ExecuteReader();
        var matches = new List<string>();
        while (reader.Read())
            matches.Add(reader.GetString(0));
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new KeyNotFoundException($"No run '{id}' in the run store; `llmops runs list` shows the ids."),
            _ => throw new KeyNotFoundException($"'{id}' matches several runs ({string.Join(", ", matches)}, ...); give more of the id."),
        };
    }

    static (RunStatus Status, RunOwner? Owner) ReadOwner(SqliteConnection connection, string id)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT status, host, pid, process_started FROM runs WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        reader.Read();
        return (Enum.Parse<RunStatus>(reader.GetString(0)), RunOwner.Read(reader, 1));
    }

    static Dictionary<string, double> LastMetrics(SqliteConnection connection, string id)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT m.name, m.value FROM metrics m
            JOIN (SELECT name, max(rowid) AS last FROM metrics WHERE run_id = $id AND value IS NOT NULL GROUP BY name) l ON m.rowid = l.last
            ORDER BY m.name
            """;
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        var last = new Dictionary<string, double>(StringComparer.Ordinal);
        while (reader.Read())
            last[reader.GetString(0)] = reader.GetDouble(1);
        return last;
    }

    /// <summary>The columns <see cref="ReadSummary"/> reads, in its order.</summary>
    const string SummaryColumns = "id, name, kind, status, started, ended, git_commit, data_manifest, parent_run";

    static RunSummary ReadSummary(SqliteDataReader reader, IReadOnlyDictionary<string, double> last) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), Enum.Parse<RunStatus>(reader.GetString(3)),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
        reader.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
        reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), last,
        reader.IsDBNull(8) ? null : reader.GetString(8));

    /// <summary>A JSON config as dotted keys to text values, so two configs can be compared key by key.</summary>
    static Dictionary<string, string> Flatten(JsonNode? node)
    {
        var flat = new Dictionary<string, string>(StringComparer.Ordinal);
        void Walk(JsonNode? value, string prefix)
        {
            switch (value)
            {
                case JsonObject obj:
                    foreach (var (key, child) in obj)
                        Walk(child, prefix.Length == 0 ? key : $"{prefix}.{key}");
                    break;
                case null:
                    flat[prefix] = "null";
                    break;
                default:
                    flat[prefix] = value.ToJsonString();
                    break;
            }
        }
        Walk(node, "");
        return flat;
    }

    /// <summary>The commit checked out in the current folder, or null when git or a checkout is absent.</summary>
    static string? CurrentGitCommit()
    {
        try
        {
            var start = new ProcessStartInfo("git", ["rev-parse", "HEAD"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(start);
            if (process is null)
                return null;
            string output = process.StandardOutput.ReadToEnd().Trim();
            return process.WaitForExit(5000) && process.ExitCode == 0 && output.Length == 40 ? output.ToString(CultureInfo.InvariantCulture) : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git on this machine
        }
    }
}
