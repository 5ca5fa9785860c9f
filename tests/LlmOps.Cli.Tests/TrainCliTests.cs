using System.Diagnostics;
using System.Text;
using LlmOps.Core.Data;
using LlmOps.Core.Display;
using LlmOps.Core.Modeling;
using LlmOps.Core.Tokenization.Shards;
using LlmOps.Core.Tracking;
using LlmOps.Core.Training;
using LlmOps.Tests;

namespace LlmOps.Cli.Tests;

public class TrainCliTests
{
    [Fact]
    public async Task A_training_killed_mid_run_resumes_into_the_same_run_record_with_the_uninterrupted_runs_losses()
    {
        string folder = RepoPaths.NewTempFolder("llmops-cli-kill");
        string killedConfig = await WriteConfigAsync(folder, "killed");
        string wholeConfig = await WriteConfigAsync(folder, "whole");
        string store = Path.Combine(folder, "killed", "runs.db");

        // Start `llmops train` as its own process, and kill -9 it once its first checkpoints are on disk: no finally
        // block, no disposal, exactly what a crash or an OOM kill leaves.
        var checkpoints = new PretrainCheckpoints(Path.Combine(folder, "killed", "checkpoints"), keepLast: 2);
        using (var trainer = Process.Start(Llmops("train", "--config", killedConfig))!)
        {
            var output = trainer.StandardOutput.ReadToEndAsync();
            var errors = trainer.StandardError.ReadToEndAsync();
            var deadline = Stopwatch.StartNew();
            while (!trainer.HasExited && (checkpoints.Steps() is not [.., var last] || last.Step < 10) && deadline.Elapsed < TimeSpan.FromMinutes(2))
                await Task.Delay(10);
            if (trainer.HasExited)
                Assert.Fail($"the trainer ended before it could be killed: {await output}{await errors}");
            trainer.Kill(); // SIGKILL on Unix
            await trainer.WaitForExitAsync();
        }
        int killedAt = checkpoints.Steps()[^1].Step;
        Assert.True(killedAt >= 10, $"killed at step {killedAt}");
        // The config asks for far more steps than any machine runs before the kill (the schedule does not depend on
        // them), so the kill always lands mid-run; both finishing runs stop a little after the kill's checkpoint.
        string steps = (killedAt + 15).ToString(System.Globalization.CultureInfo.InvariantCulture);

        // The crashed run is not left running.
        var ghost = Assert.Single(RunStore.Open(store).List().Runs);
        Assert.Equal(RunStatus.Killed, ghost.Status);

        // The same command resumes from the last checkpoint, into the same record.
        var resumed = await ProcessRunner.RunAsync("dotnet", Llmops("train", "--config", killedConfig, "--max-steps", steps).ArgumentList, timeoutSeconds: 240);
        Assert.True(resumed.ExitCode == 0, resumed.Output);
        Assert.Contains($"(resumed at {killedAt})", resumed.Output, StringComparison.Ordinal);
        var whole = await ProcessRunner.RunAsync("dotnet", Llmops("train", "--config", wholeConfig, "--max-steps", steps).ArgumentList, timeoutSeconds: 240);
        Assert.True(whole.ExitCode == 0, whole.Output);

        // What `llmops runs list` lists: one finished run, no ghost.
        var (listed, _, _) = await Cli.Run("runs", "list", "--store", store);
        Assert.Equal(0, listed);
        var only = Assert.Single(RunStore.Open(store).List().Runs);
        Assert.Equal((ghost.Id, RunStatus.Finished), (only.Id, only.Status));

        var run = RunStore.Open(store).Get(ghost.Id);
        Assert.Equal(RunStatus.Finished, run.Summary.Status);
        var resume = Assert.Single(run.Resumes);
        Assert.Equal((killedAt, RunStatus.Killed), ((int)resume.Step, resume.PreviousStatus));
        // One continuous curve: every step once, in order, with the uninterrupted run's losses bit for bit (dropout is
        // on, so this also checks the generator state came back).
        var curve = run.Metrics["train/loss"];
        Assert.Equal(Enumerable.Range(1, killedAt + 15).Select(s => (long)s), curve.Select(p => p.Step));
        var reference = RunStore.Open(Path.Combine(folder, "whole", "runs.db")).List().Runs.Single();
        Assert.Equal(RunStore.Open(Path.Combine(folder, "whole", "runs.db")).Get(reference.Id).Metrics["train/loss"].Select(p => p.Value),
            curve.Select(p => p.Value));
    }

    /// <summary>Digit sequences sharded byte by byte, and a small config over them that checkpoints often.</summary>
    static async Task<string> WriteConfigAsync(string folder, string name)
    {
        string data = Path.Combine(folder, "data");
        if (!Directory.Exists(data))
        {
            var encoder = new ShardEncoder("bytes", text => [.. Encoding.UTF8.GetBytes(text).Select(b => (int)b)], 257, 256);
            List<Document> Corpus(int count, int offset) => [.. Enumerable.Range(offset, count).Select(i => new Document($"doc{i}",
                string.Concat(Enumerable.Range(0, 40 + (i % 7)).Select(k => (char)('0' + ((i + k) % 10)))), "test"))];
            using var _ = DisplayHook.Use(new ConsoleDisplaySink(TextWriter.Null));
            await TokenSharder.ShardAsync(Corpus(120, 0), encoder, new ShardingOptions(Path.Combine(data, "train"), MaxTokensPerShard: 1500, DocumentsPerBatch: 32));
            await TokenSharder.ShardAsync(Corpus(20, 1000), encoder, new ShardingOptions(Path.Combine(data, "val"), MaxTokensPerShard: 1500, DocumentsPerBatch: 32));
        }
        var config = new PretrainConfig(
            new GptConfig(VocabSize: 257, BlockSize: 16, Layers: 2, Heads: 2, EmbeddingSize: 32, Dropout: 0.1),
            "data/train", "data/val", name, BatchSize: 8, MaxSteps: 1_000_000, LearningRate: 1e-2, MinLearningRate: 1e-3,
            WarmupSteps: 5, DecaySteps: 100, EvalEvery: 20, EvalBatches: 2, CheckpointEvery: 5, KeepLast: 2, Device: "cpu", Seed: 7,
            Precision: MixedPrecision.Fp32, PeakFlopsPerSecond: 1e11, RunStorePath: $"{name}/runs.db");
        string path = Path.Combine(folder, $"{name}.json");
        await File.WriteAllTextAsync(path, config.ToJson());
        return path;
    }

    static ProcessStartInfo Llmops(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(RepoPaths.Output("src/LlmOps.Cli", "llmops.dll"));
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["LLMOPS_DEVICE"] = "cpu";
        return start;
    }
}
