using System.Diagnostics;
using LlmOps.Core.Tracking;
using LlmOps.Tests;
using Microsoft.Data.Sqlite;

namespace LlmOps.Core.Tests.Tracking;

public class RunStoreTests
{
    static RunStore NewStore() => RunStore.Open(Path.Combine(RepoPaths.NewTempFolder("llmops-runs"), "runs.db"));

    [Fact]
    public void A_run_records_config_metrics_artifacts_and_status_and_reads_back_from_a_fresh_connection()
    {
        var store = NewStore();
        string checkpoint = Path.Combine(Path.GetDirectoryName(store.Path)!, "ckpt.bin");
        File.WriteAllBytes(checkpoint, [1, 2, 3]);

        using (var run = store.StartRun("baby", "pretrain", new { lr = 0.001, layers = 4 }, dataManifest: "6b3fe41b737b50ec", gitCommit: new string('a', 40)))
        {
            for (int step = 0; step < 5; step++)
                run.Log(step, [new("train/loss", 5.0 - step), new("lr", 0.001)]);
            run.Log(4, "val/loss", double.NaN); // a NaN is a gap, not a crash
            run.AddArtifact("checkpoint", checkpoint);
            run.Finish();
        }

        var reopened = RunStore.Open(store.Path);
        var summary = Assert.Single(reopened.List().Runs);
        Assert.Equal(("baby", "pretrain", RunStatus.Finished, "6b3fe41b737b50ec"), (summary.Name, summary.Kind, summary.Status, summary.DataManifest));
        Assert.Equal(1.0, summary.LastMetrics["train/loss"]);
        Assert.False(summary.LastMetrics.ContainsKey("val/loss"));
        var details = reopened.Get(summary.Id[..12]); // a unique prefix is enough
        Assert.Equal([5.0, 4.0, 3.0, 2.0, 1.0], details.Metrics["train/loss"].Select(p => p.Value));
        Assert.Equal([0L, 1, 2, 3, 4], details.Metrics["train/loss"].Select(p => p.Step));
        Assert.True(double.IsNaN(details.Metrics["val/loss"].Single().Value));
        Assert.Equal(4, details.Config!["layers"]!.GetValue<int>());
        var artifact = Assert.Single(details.Artifacts);
        Assert.Equal(("checkpoint", 3L), (artifact.Name, artifact.Bytes));
        Assert.Equal("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81", artifact.Sha256); // sha256 of 01 02 03
    }

    [Fact]
    public void A_run_left_unfinished_by_an_exception_is_recorded_as_failed()
    {
        var store = NewStore();
        try
        {
            using var run = store.StartRun("crash", "pretrain");
            run.Log(0, "train/loss", 3);
            throw new InvalidOperationException("boom");
        }
        catch (InvalidOperationException)
        {
        }

        var details = store.Get(store.List().Runs.Single().Id);
        Assert.Equal(RunStatus.Failed, details.Summary.Status);
        Assert.Contains("without being finished", details.Notes, StringComparison.Ordinal);
    }

    [Fact]
    public void Comparing_runs_overlays_their_metrics_and_lists_only_config_keys_that_differ()
    {
        var store = NewStore();
        string[] ids = new string[2];
        for (int i = 0; i < 2; i++)
        {
            using var run = store.StartRun($"run{i}", "pretrain", new { lr = i == 0 ? 0.001 : 0.003, layers = 4, optimizer = new { beta2 = 0.95 } });
            run.Log(0, "train/loss", 4 - i);
            run.Finish();
            ids[i] = run.Id;
        }

        var comparison = store.Compare(ids);

        Assert.Equal(["train/loss"], comparison.Metrics);
        Assert.Equal(["run0", "run1"], comparison.Runs.Select(r => r.Summary.Name));
        Assert.Equal(["lr"], comparison.ConfigDifferences.Keys);
        Assert.Equal(["0.001", "0.003"], comparison.ConfigDifferences["lr"]);
    }

    [Fact]
    public void An_unknown_run_id_is_an_error_that_says_so()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => NewStore().Get("nope"));
        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_whose_process_died_is_marked_killed_not_left_running()
    {
        var store = NewStore();
        using var run = store.StartRun("ghost", "pretrain");
        run.Log(1, "train/loss", 3);
        // Hand the record to a real process that has since exited, as a kill -9 of the trainer would leave it.
        using var child = Process.Start(new ProcessStartInfo("sleep", "0.2") { UseShellExecute = false })!;
        var started = new DateTimeOffset(child.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds();
        await child.WaitForExitAsync();
        Sql(store, "UPDATE runs SET pid = $a, process_started = $b WHERE id = $id", child.Id, started, run.Id);

        Assert.Equal(RunStatus.Killed, Assert.Single(store.List().Runs).Status);
        var details = store.Get(run.Id);
        Assert.Contains($"process ({child.Id} on {Environment.MachineName})", details.Notes, StringComparison.Ordinal);
        Assert.NotNull(details.Summary.Ended);
        Assert.Equal(0, store.MarkDeadRuns()); // marked once
    }

    [Fact]
    public void A_live_run_stays_running_and_a_run_elsewhere_is_judged_by_its_heartbeat()
    {
        var store = RunStore.Open(NewStore().Path, staleAfter: TimeSpan.FromMinutes(10));
        using var mine = store.StartRun("mine", "pretrain");
        using var fresh = store.StartRun("elsewhere, fresh", "pretrain");
        using var stale = store.StartRun("elsewhere, stale", "pretrain");
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Sql(store, "UPDATE runs SET host = 'another-host', heartbeat = $a WHERE id = $id", now - 60_000, 0, fresh.Id);
        Sql(store, "UPDATE runs SET host = 'another-host', heartbeat = $a WHERE id = $id", now - 11 * 60_000, 0, stale.Id);

        var status = store.List().Runs.ToDictionary(r => r.Name, r => r.Status);

        Assert.Equal(RunStatus.Running, status["mine"]);
        Assert.Equal(RunStatus.Running, status["elsewhere, fresh"]);
        Assert.Equal(RunStatus.Killed, status["elsewhere, stale"]);
        Assert.Contains("no heartbeat for 11 minutes", store.Get(stale.Id).Notes, StringComparison.Ordinal);
    }

    [Fact]
    public void A_resumed_run_continues_its_record_and_drops_the_steps_its_checkpoint_lost()
    {
        var store = NewStore();
        string id;
        using (var first = store.StartRun("resumable", "pretrain"))
        {
            id = first.Id;
            for (int step = 1; step <= 7; step++)
                first.Log(step, "train/loss", 10 - step);
            first.Finish(RunStatus.Cancelled);
        }

        using (var resumed = store.ResumeRun(id, fromStep: 5)) // the checkpoint held step 5; steps 6 and 7 were lost
        {
            Assert.Equal(id, resumed.Id);
            Assert.Equal(RunStatus.Running, store.Get(id).Summary.Status);
            for (int step = 6; step <= 9; step++)
                resumed.Log(step, "train/loss", 20 - step);
            resumed.Finish();
        }

        var details = store.Get(id);
        Assert.Single(store.List().Runs);
        Assert.Equal(RunStatus.Finished, details.Summary.Status);
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7, 8, 9], details.Metrics["train/loss"].Select(p => p.Step));
        Assert.Equal([9.0, 8, 7, 6, 5, 14, 13, 12, 11], details.Metrics["train/loss"].Select(p => p.Value));
        var resume = Assert.Single(details.Resumes);
        Assert.Equal((5L, RunStatus.Cancelled), (resume.Step, resume.PreviousStatus));
    }

    [Fact]
    public void A_run_still_going_in_another_live_process_is_not_taken_over()
    {
        var store = NewStore();
        using var run = store.StartRun("busy", "pretrain");
        using var other = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        try
        {
            var started = new DateTimeOffset(other.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds();
            Sql(store, "UPDATE runs SET pid = $a, process_started = $b WHERE id = $id", other.Id, started, run.Id);

            var error = Assert.Throws<InvalidOperationException>(() => store.ResumeRun(run.Id, 0));
            Assert.Contains($"still running in process {other.Id}", error.Message, StringComparison.Ordinal);
            Assert.Equal(RunStatus.Running, store.Get(run.Id).Summary.Status);
        }
        finally
        {
            other.Kill();
        }
    }

    [Fact]
    public void A_store_from_before_schema_versions_is_migrated_and_a_newer_one_is_refused()
    {
        string path = OldStore("llmops-runs-v1", """
                CREATE TABLE runs (id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,
                    started INTEGER NOT NULL, ended INTEGER, git_commit TEXT, data_manifest TEXT, config TEXT, notes TEXT);
                CREATE TABLE metrics (run_id TEXT NOT NULL REFERENCES runs(id), step INTEGER NOT NULL, name TEXT NOT NULL, value REAL, time INTEGER NOT NULL);
                CREATE TABLE artifacts (run_id TEXT NOT NULL REFERENCES runs(id), name TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL, bytes INTEGER NOT NULL);
                INSERT INTO runs (id, name, kind, status, started) VALUES ('20261101-old', 'old', 'pretrain', 'Finished', 1761955200000);
                INSERT INTO metrics VALUES ('20261101-old', 1, 'train/loss', 2.5, 1761955200000);
                """);

        var store = RunStore.Open(path);
        var old = store.Get("20261101-old");
        Assert.Equal((RunStatus.Finished, 2.5), (old.Summary.Status, old.Summary.LastMetrics["train/loss"]));
        Assert.Empty(old.Resumes);
        Assert.Equal(RunStoreSchema.Current, Convert.ToInt32(Sql(store, "PRAGMA user_version", 0, 0, ""), System.Globalization.CultureInfo.InvariantCulture));
        using (var run = store.StartRun("new", "pretrain"))
            run.Finish();
        Assert.Equal(2, RunStore.Open(path).List().Runs.Count); // opening again migrates nothing twice

        Sql(store, "PRAGMA user_version = 99", 0, 0, "");
        var error = Assert.Throws<InvalidDataException>(() => RunStore.Open(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("schema 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_2_store_opens_with_parent_runs_and_documents_added()
    {
        // Schema 2 as that build wrote it, with one finished training run.
        string path = OldStore("llmops-runs-v2", """
                CREATE TABLE runs (id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,
                    started INTEGER NOT NULL, ended INTEGER, git_commit TEXT, data_manifest TEXT, config TEXT, notes TEXT,
                    host TEXT, pid INTEGER, process_started INTEGER, heartbeat INTEGER);
                CREATE TABLE metrics (run_id TEXT NOT NULL REFERENCES runs(id), step INTEGER NOT NULL, name TEXT NOT NULL, value REAL, time INTEGER NOT NULL);
                CREATE INDEX metrics_by_run ON metrics (run_id, name, step);
                CREATE TABLE artifacts (run_id TEXT NOT NULL REFERENCES runs(id), name TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL, bytes INTEGER NOT NULL);
                CREATE TABLE resumes (run_id TEXT NOT NULL REFERENCES runs(id), step INTEGER NOT NULL, time INTEGER NOT NULL, previous_status TEXT NOT NULL);
                INSERT INTO runs (id, name, kind, status, started, ended, data_manifest) VALUES ('20261102-train', 'train', 'pretrain', 'Finished', 1762041600000, 1762041660000, 'abcdef0123456789');
                PRAGMA user_version = 2;
                """);

        var store = RunStore.Open(path);
        var old = store.Get("20261102-train");
        Assert.Null(old.Summary.ParentRun);
        Assert.Empty(old.Lineage);
        Assert.Equal(RunStoreSchema.Current, Convert.ToInt32(Sql(store, "PRAGMA user_version", 0, 0, ""), System.Globalization.CultureInfo.InvariantCulture));

        // A run of the new schema names the old one as its parent and keeps a document.
        string id;
        using (var run = store.StartRun("eval", "eval", parentRun: "20261102-train"))
        {
            run.AddDocument("results", "first");
            run.AddDocument("results", "{\"replaced\": true}");
            run.Finish();
            id = run.Id;
        }
        var child = RunStore.Open(path).Get(id);
        Assert.Equal("20261102-train", child.Summary.ParentRun);
        Assert.Equal(("20261102-train", "abcdef0123456789"), (Assert.Single(child.Lineage).Id, child.Lineage[0].DataManifest));
        Assert.Equal([new RunDocument(id, "results", "{\"replaced\": true}")], store.Documents("results"));
        Assert.Empty(store.Documents("results", kind: "pretrain"));
        Assert.Empty(store.Documents("results", status: RunStatus.Failed));
    }

    /// <summary>A store file as an older build left it: <paramref name="sql"/> run on a new file, returning its path.</summary>
    static string OldStore(string name, string sql)
    {
        string path = Path.Combine(RepoPaths.NewTempFolder(name), "runs.db");
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
        return path;
    }

    /// <summary>Raw SQL on the store's file, for the states only another process (or an older build) would leave.</summary>
    static object? Sql(RunStore store, string sql, long a, long b, string id)
    {
        using var connection = new SqliteConnection($"Data Source={store.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$a", a);
        command.Parameters.AddWithValue("$b", b);
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteScalar();
    }
}
