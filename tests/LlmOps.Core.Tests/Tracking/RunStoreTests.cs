using LlmOps.Core.Tracking;
using LlmOps.Tests;

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
}
