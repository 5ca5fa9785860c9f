using System.Globalization;
using Microsoft.Data.Sqlite;

namespace LlmOps.Core.Tracking;

/// <summary>
/// The run store's tables and their migrations, numbered by SQLite's <c>PRAGMA user_version</c>: a file written by an
/// older build is brought up to date when opened, one step at a time, and a file from a newer build is refused rather
/// than misread.
/// </summary>
static class RunStoreSchema
{
    /// <summary>The schema this build writes. 1: runs, metrics, artifacts. 2: each run's owning process and heartbeat
    /// (crash detection) and the resumes table. 3: each run's parent run (lineage: an evaluation's model run) and
    /// documents stored inline (an evaluation's results).</summary>
    public const int Current = 3;

    static readonly string[] Steps =
    [
        // 1. Files from before the version was recorded already hold these tables, hence IF NOT EXISTS.
        """
        CREATE TABLE IF NOT EXISTS runs (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,
            started INTEGER NOT NULL, ended INTEGER, git_commit TEXT, data_manifest TEXT, config TEXT, notes TEXT);
        CREATE TABLE IF NOT EXISTS metrics (
            run_id TEXT NOT NULL REFERENCES runs(id), step INTEGER NOT NULL, name TEXT NOT NULL, value REAL, time INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS metrics_by_run ON metrics (run_id, name, step);
        CREATE TABLE IF NOT EXISTS artifacts (
            run_id TEXT NOT NULL REFERENCES runs(id), name TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL, bytes INTEGER NOT NULL);
        """,
        // 2. Who runs a run (host, process id and its start time, so a reused pid is not mistaken for the owner) and
        //    when it last showed life; every resume of a run.
        """
        ALTER TABLE runs ADD COLUMN host TEXT;
        ALTER TABLE runs ADD COLUMN pid INTEGER;
        ALTER TABLE runs ADD COLUMN process_started INTEGER;
        ALTER TABLE runs ADD COLUMN heartbeat INTEGER;
        CREATE TABLE resumes (
            run_id TEXT NOT NULL REFERENCES runs(id), step INTEGER NOT NULL, time INTEGER NOT NULL, previous_status TEXT NOT NULL);
        """,
        // 3. The run whose output this run used (an evaluation's training run; not a foreign key, since that run may
        //    live in another store), and text documents a run produced, kept in the store rather than beside it.
        """
        ALTER TABLE runs ADD COLUMN parent_run TEXT;
        CREATE TABLE documents (
            run_id TEXT NOT NULL REFERENCES runs(id), name TEXT NOT NULL, content TEXT NOT NULL, PRIMARY KEY (run_id, name));
        """,
    ];

    /// <summary>Brings the file behind <paramref name="connection"/> to <see cref="Current"/>.</summary>
    /// <exception cref="InvalidDataException">The file was written by a newer schema.</exception>
    public static void Migrate(SqliteConnection connection)
    {
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL"; // not allowed inside a transaction
            wal.ExecuteNonQuery();
        }
        // An immediate transaction holds the write lock, so two processes opening an old file migrate it once.
        using var transaction = connection.BeginTransaction(deferred: false);
        int version = UserVersion(connection, transaction);
        if (version > Current)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{connection.DataSource}: run store schema {version} was written by a newer LlmOps; this build reads up to {Current}."));
        for (; version < Current; version++)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Steps[version] + string.Create(CultureInfo.InvariantCulture, $"\nPRAGMA user_version = {version + 1};");
            command.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    static int UserVersion(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
