using LlmOps.Core.Data;
using LlmOps.Core.Display;
using LlmOps.Core.Modeling;
using LlmOps.Core.Tracking;
using LlmOps.Core.Training;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Training;

public class PretrainerTests
{
    [Fact]
    public async Task The_loss_falls_below_a_bound_on_a_learnable_sequence()
    {
        var data = await PretrainTestData.ShardsAsync("llmops-pretrain-learn");
        var result = PretrainTestData.Run(PretrainTestData.Config(data) with { MaxSteps = 60 });

        Assert.Equal(PretrainStatus.Completed, result.Status);
        Assert.Equal(60, result.Steps);
        Assert.True(result.Train[0].Loss > 4.5, $"first loss {result.Train[0].Loss}"); // ~ln 257 = 5.55 at init
        Assert.True(result.FinalValidationLoss < 1.0, $"final validation loss {result.FinalValidationLoss}");
        Assert.Equal([10, 20, 30, 40, 50, 60], result.Validation.Select(v => v.Step));
        Assert.Equal(60 * 8 * 16L, result.TokensSeen);
        Assert.True(result.TokensPerSecond > 0 && result.Mfu > 0);
        Assert.Equal("cpu fp32", result.Device);
    }

    [Fact]
    public async Task Two_accumulated_half_batches_match_one_full_batch()
    {
        var data = await PretrainTestData.ShardsAsync("llmops-pretrain-accumulate");
        var full = PretrainTestData.Run(PretrainTestData.Config(data, "full") with { MaxSteps = 3 });
        var halves = PretrainTestData.Run(PretrainTestData.Config(data, "halves") with { MaxSteps = 3, BatchSize = 4, GradientAccumulationSteps = 2 });

        // The sampler draws the same rows in the same order, so the data are identical; only summation order differs.
        Assert.Equal(full.Train[0].Loss, halves.Train[0].Loss, 1e-5);
        Assert.Equal(full.Train[0].GradNorm, halves.Train[0].GradNorm, 1e-4);
        Assert.Equal(full.Train[2].Loss, halves.Train[2].Loss, 1e-4);
        Assert.Equal(full.TokensSeen, halves.TokensSeen);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.2)]
    public async Task A_run_stopped_and_resumed_reproduces_the_uninterrupted_losses(double dropout)
    {
        var data = await PretrainTestData.ShardsAsync("llmops-pretrain-resume");
        var whole = PretrainTestData.Run(PretrainTestData.Config(data, "whole", dropout) with { MaxSteps = 25 });

        var config = PretrainTestData.Config(data, "stopped", dropout) with { MaxSteps = 25 };
        using var cancel = new CancellationTokenSource();
        var first = PretrainTestData.Run(config, new TrainingLoopHooks(AfterStep: step => { if (step == 13) cancel.Cancel(); }), cancel.Token);
        Assert.Equal(PretrainStatus.Cancelled, first.Status);
        Assert.Equal(13, first.Steps);

        var resumed = PretrainTestData.Run(config);
        Assert.Equal(PretrainStatus.Completed, resumed.Status);
        Assert.Equal(13, resumed.ResumedFromStep);
        Assert.Equal(25, resumed.Steps);
        // Bit for bit: the same weights, moments, data position and dropout stream.
        Assert.Equal(whole.Train.Select(s => s.Loss), resumed.Train.Select(s => s.Loss));
        Assert.Equal(whole.Train.Select(s => s.GradNorm), resumed.Train.Select(s => s.GradNorm));
        Assert.Equal(whole.Validation, resumed.Validation);
        Assert.Equal(whole.TokensSeen, resumed.TokensSeen);
    }

    [Fact]
    public async Task Dropout_changes_the_losses_so_the_resume_test_exercises_the_generator()
    {
        var data = await PretrainTestData.ShardsAsync("llmops-pretrain-dropout");
        var plain = PretrainTestData.Run(PretrainTestData.Config(data, "plain") with { MaxSteps = 3 });
        var dropped = PretrainTestData.Run(PretrainTestData.Config(data, "dropped", dropout: 0.2) with { MaxSteps = 3 });
        Assert.NotEqual(plain.Train[0].Loss, dropped.Train[0].Loss);
    }

    [Fact]
    public async Task Cancelling_mid_run_leaves_a_resumable_checkpoint_and_says_so()
    {
        var data = await PretrainTestData.ShardsAsync("llmops-pretrain-cancel");
        string store = Path.Combine(data.Root, "runs.db");
        using var cancel = new CancellationTokenSource();
        var result = PretrainTestData.Run(PretrainTestData.Config(data) with { RunStorePath = store },
            new TrainingLoopHooks(AfterStep: step => { if (step == 4) cancel.Cancel(); }), cancel.Token);

        Assert.Equal(PretrainStatus.Cancelled, result.Status);
        Assert.Equal(4, result.Steps);
        Assert.NotNull(result.LastCheckpoint);
        Assert.EndsWith("step-000004", result.LastCheckpoint, StringComparison.Ordinal);
        foreach (string file in new[] { GptCheckpoint.WeightsFile, GptCheckpoint.ConfigFile, PretrainCheckpoints.OptimizerFile, TrainerState.FileName })
            Assert.True(File.Exists(Path.Combine(result.LastCheckpoint, file)), file);
        Assert.Equal(4, TrainerState.Load(Path.Combine(result.LastCheckpoint, TrainerState.FileName)).Step);
        Assert.Contains("resume", result.Message, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Cancelled, RunStore.Open(store).Get(result.RunId!).Summary.Status);

        // Cancelled before the first step of a resumed session: nothing trains, the checkpoint stays.
        var again = PretrainTestData.Run(PretrainTestData.Config(data), cancellationToken: cancel.Token);
        Assert.Equal(PretrainStatus.Cancelled, again.Status);
        Assert.Equal(4, again.Steps);
        Assert.Equal(result.LastCheckpoint, again.LastCheckpoint);
    }

    [Fact]
    public async Task A_NaN_loss_stops_the_run_naming_the_step_and_the_last_good_checkpoint()
    {
        var data = await PretrainTestData.ShardsAsync("llmops-pretrain-nan");
        string store = Path.Combine(data.Root, "runs.db");
        var result = PretrainTestData.Run(PretrainTestData.Config(data) with { RunStorePath = store },
            new TrainingLoopHooks(Loss: (step, loss) => step == 15 ? double.NaN : loss));

        Assert.Equal(PretrainStatus.Diverged, result.Status);
        Assert.Equal(14, result.Steps);
        Assert.Contains("step 15", result.Message, StringComparison.Ordinal);
        Assert.Contains("NaN", result.Message, StringComparison.Ordinal);
        Assert.EndsWith("step-000010", result.LastCheckpoint, StringComparison.Ordinal);
        Assert.Contains(result.LastCheckpoint!, result.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(data.Root, "out", "checkpoints", "step-000015")));
        Assert.False(Directory.Exists(Path.Combine(data.Root, "out", "checkpoints", "step-000014")));
        var run = RunStore.Open(store).Get(result.RunId!);
        Assert.Equal(RunStatus.Failed, run.Summary.Status);
        Assert.Contains("step 15", run.Notes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_last_K_checkpoints_stay_and_last_names_the_newest()
    {
        var data = await PretrainTestData.ShardsAsync("llmops-pretrain-keep");
        var result = PretrainTestData.Run(PretrainTestData.Config(data) with { MaxSteps = 40, CheckpointEvery = 5, EvalEvery = 40, KeepLast = 2 });

        string folder = Path.Combine(data.Root, "out", "checkpoints");
        Assert.Equal(["step-000035", "step-000040"], Directory.GetDirectories(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("step-000040", File.ReadAllText(Path.Combine(folder, PretrainCheckpoints.LastPointer)).Trim());
        Assert.Equal(result.LastCheckpoint, result.BestCheckpoint);
        Assert.Equal(2, result.Checkpoints.Count);
    }

    [Fact]
    public async Task Early_stopping_stops_after_the_patience_and_keeps_the_best()
    {
        var data = await PretrainTestData.ShardsAsync("llmops-pretrain-early");
        var result = PretrainTestData.Run(PretrainTestData.Config(data) with { MaxSteps = 100, EvalEvery = 5, EarlyStoppingPatience = 2 },
            new TrainingLoopHooks(ValidationLoss: (step, _) => step == 5 ? 2.0 : 2.5));

        Assert.Equal(PretrainStatus.EarlyStopped, result.Status);
        Assert.Equal(15, result.Steps); // best at 5, no improvement at 10 and 15
        Assert.Equal(2.0, result.BestValidationLoss);
        Assert.Equal(5, result.BestStep);
        Assert.EndsWith("step-000005", result.BestCheckpoint, StringComparison.Ordinal);
        Assert.EndsWith("step-000015", result.LastCheckpoint, StringComparison.Ordinal);
        Assert.Contains("no validation improvement in 2 evaluations", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_run_store_records_config_data_manifest_metrics_artifacts_and_status()
    {
        var data = await PretrainTestData.ShardsAsync("llmops-pretrain-track");
        string store = Path.Combine(data.Root, "runs.db");
        var result = PretrainTestData.Run(PretrainTestData.Config(data) with { MaxSteps = 20, RunStorePath = store, RunName = "tiny" });

        var run = RunStore.Open(store).Get(result.RunId!);
        Assert.Equal("tiny", run.Summary.Name);
        Assert.Equal(Pretrainer.RunKind, run.Summary.Kind);
        Assert.Equal(RunStatus.Finished, run.Summary.Status);
        Assert.Equal(DataManifest.Load(Path.Combine(data.Train, DataManifest.FileName)).Id, run.Summary.DataManifest);
        Assert.Equal(0.01, run.Config!["LearningRate"]!.GetValue<double>());
        Assert.Equal(20, run.Metrics["train/loss"].Count);
        Assert.Equal(20, run.Metrics["lr"].Count);
        Assert.Equal([10L, 20L], run.Metrics["val/loss"].Select(p => p.Step));
        Assert.Equal(result.Validation[^1].Loss, run.Metrics["val/loss"][^1].Value, 1e-12);
        Assert.Equal(result.Checkpoints.Count, run.Artifacts.Count);
        Assert.All(run.Artifacts, a => Assert.StartsWith("checkpoint step-", a.Name, StringComparison.Ordinal));

        // The checkpoint names its tokenizer and data.
        using var loaded = GptCheckpoint.Load(result.LastCheckpoint!);
        Assert.Equal("bytes", loaded.Metadata.Tokenizer);
        Assert.Equal(run.Summary.DataManifest, loaded.Metadata.DataManifestId);
        Assert.Equal("20", loaded.Metadata.Extra["step"]);
    }

    [Fact]
    public async Task A_bf16_run_learns_with_fp32_master_weights()
    {
        var data = await PretrainTestData.ShardsAsync("llmops-pretrain-bf16");
        var result = PretrainTestData.Run(PretrainTestData.Config(data) with { MaxSteps = 60, Precision = MixedPrecision.Bf16 });

        Assert.Equal("cpu bf16", result.Device);
        Assert.True(result.FinalValidationLoss < 1.2, $"final validation loss {result.FinalValidationLoss}");
        using var loaded = GptCheckpoint.Load(result.LastCheckpoint!);
        Assert.Equal(TorchSharp.torch.ScalarType.Float32, loaded.Model.parameters().First().dtype);
    }

    [Fact]
    public async Task Resuming_refuses_settings_that_change_the_data_order_and_a_fresh_run_refuses_a_used_folder()
    {
        var data = await PretrainTestData.ShardsAsync("llmops-pretrain-refuse");
        PretrainTestData.Run(PretrainTestData.Config(data) with { MaxSteps = 10 });

        var seed = Assert.Throws<InvalidOperationException>(() => PretrainTestData.Run(PretrainTestData.Config(data) with { MaxSteps = 20, Seed = 8 }));
        Assert.Contains("Seed 7 → 8", seed.Message, StringComparison.Ordinal);
        var fresh = Assert.Throws<InvalidOperationException>(() => PretrainTestData.Run(PretrainTestData.Config(data) with { Resume = false }));
        Assert.Contains("already holds checkpoints", fresh.Message, StringComparison.Ordinal);
        var shape = Assert.Throws<InvalidOperationException>(() => PretrainTestData.Run(PretrainTestData.Config(data) with { Model = PretrainTestData.Model() with { Layers = 3 } }));
        Assert.Contains("resume with the checkpoint's shape", shape.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_goes_through_the_display_hook_and_ends_with_the_final_state()
    {
        var data = await PretrainTestData.ShardsAsync("llmops-pretrain-progress");
        var sink = new RecordingSink();
        PretrainResult result;
        using (DisplayHook.Use(sink))
            result = Pretrainer.Run(PretrainTestData.Config(data) with { MaxSteps = 20 });

        Assert.Equal(1, sink.Shows);
        var updates = sink.Values.OfType<PretrainProgress>().ToList();
        Assert.Equal(sink.Values.Count, updates.Count);
        Assert.Equal(0, updates[0].Step);
        var last = updates[^1];
        Assert.Equal(20, last.Step);
        Assert.Equal(20, last.Train.Count);
        Assert.Equal(2, last.Validation.Count);
        Assert.Equal(result.FinalValidationLoss, last.ValidationLoss);
        Assert.Equal(0.0, last.EtaSeconds);
        Assert.Contains("step 20/20", TrainingText.Line(last), StringComparison.Ordinal);
        Assert.Contains("completed", TrainingText.Summary(result).ToText(), StringComparison.Ordinal);
    }
}
