using LlmOps.Core.Display;
using LlmOps.Core.Platform;
using LlmOps.Core.Tracking;
using LlmOps.Core.Training;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Training;

/// <summary>The skeleton reused by a second trainer (<see cref="ToyClassifierTask"/>): it gets learning, extra metrics,
/// checkpoints with exact resume, cancellation and the NaN stop without writing any of them.</summary>
public class TrainingLoopTests
{
    const string Kind = "toy-classifier";

    static TrainingLoopConfig Config(string folder, int maxSteps = 40, string? store = null, bool bfloat16 = false) => new(
        CheckpointFolder: Path.Combine(folder, "checkpoints"), Device: DeviceSelector.Select("cpu"), BFloat16: bfloat16,
        Seed: 11, BatchSize: ToyClassifierTask.BatchRows, GradientAccumulationSteps: 2, TokensPerStep: 2 * ToyClassifierTask.BatchRows,
        MaxSteps: maxSteps, Schedule: new LearningRateSchedule(0.02, 0.002, 5, 40), WeightDecay: 0.01, Beta1: 0.9, Beta2: 0.99,
        GradClip: 1.0, EvalEvery: 10, CheckpointEvery: 10, KeepLast: 2, EarlyStoppingPatience: null,
        RunName: "toy", RunKind: Kind, RunStorePath: store);

    /// <summary>The toy trainer: a config, the loop, the model (fresh, or loaded from where the loop resumes), the task.</summary>
    static PretrainResult Train(string folder, int maxSteps = 40, string? store = null, long poisonedDraw = 0,
        bool bfloat16 = false, TrainingLoopHooks? hooks = null, CancellationToken cancellationToken = default)
    {
        using var quiet = DisplayHook.Use(new ConsoleDisplaySink(TextWriter.Null));
        var loop = new TrainingLoop(Config(folder, maxSteps, store, bfloat16));
        using var model = new ToyClassifier();
        if (loop.ResumeFrom is { } checkpoint)
            model.load(Path.Combine(checkpoint, ToyClassifierTask.WeightsFile));
        return loop.Run(new ToyClassifierTask(model, loop.Seeds, poisonedDraw), hooks, cancellationToken);
    }

    [Fact]
    public void A_second_trainer_learns_through_the_loop_and_its_metric_reaches_the_run_store()
    {
        string folder = RepoPaths.NewTempFolder("llmops-loop-learn");
        string store = Path.Combine(folder, "runs.db");
        var result = Train(folder, store: store);

        Assert.Equal(PretrainStatus.Completed, result.Status);
        Assert.True(result.Train[0].Loss > 0.9, $"first loss {result.Train[0].Loss}"); // ~ln 3 = 1.10 at init
        Assert.True(result.FinalValidationLoss < 0.35, $"final validation loss {result.FinalValidationLoss}"); // 0.223 measured
        Assert.Equal([10, 20, 30, 40], result.Validation.Select(v => v.Step));
        Assert.Equal(40 * 32L, result.TokensSeen);
        Assert.True(File.Exists(Path.Combine(result.LastCheckpoint!, ToyClassifierTask.WeightsFile)));

        var run = RunStore.Open(store).Get(result.RunId!);
        Assert.Equal(Kind, run.Summary.Kind);
        Assert.Equal(RunStatus.Finished, run.Summary.Status);
        Assert.Equal(40, run.Metrics["train/accuracy"].Count);
        Assert.True(run.Metrics["val/accuracy"][^1].Value > 0.85, $"validation accuracy {run.Metrics["val/accuracy"][^1].Value}");
    }

    [Fact]
    public void Cancelled_and_resumed_it_reproduces_the_uninterrupted_run_bit_for_bit()
    {
        string folder = RepoPaths.NewTempFolder("llmops-loop-resume");
        var whole = Train(Path.Combine(folder, "whole"), maxSteps: 25);

        using var cancel = new CancellationTokenSource();
        var first = Train(Path.Combine(folder, "stopped"), maxSteps: 25, hooks: new TrainingLoopHooks(AfterStep: step =>
        {
            if (step == 13)
                cancel.Cancel();
        }), cancellationToken: cancel.Token);
        Assert.Equal(PretrainStatus.Cancelled, first.Status);
        Assert.EndsWith("step-000013", first.LastCheckpoint, StringComparison.Ordinal);

        var resumed = Train(Path.Combine(folder, "stopped"), maxSteps: 25);
        Assert.Equal(13, resumed.ResumedFromStep);
        Assert.Equal(PretrainStatus.Completed, resumed.Status);
        Assert.Equal(whole.Train.Select(s => s.Loss), resumed.Train.Select(s => s.Loss));
        Assert.Equal(whole.Train.Select(s => s.GradNorm), resumed.Train.Select(s => s.GradNorm));
        Assert.Equal(whole.Validation, resumed.Validation);
    }

    [Fact]
    public void A_NaN_batch_stops_it_before_the_update_naming_the_step_and_the_last_good_checkpoint()
    {
        string folder = RepoPaths.NewTempFolder("llmops-loop-nan");
        string store = Path.Combine(folder, "runs.db");
        // Two micro-batches a step: draw 29 is the first of step 15.
        var result = Train(folder, store: store, poisonedDraw: 29);

        Assert.Equal(PretrainStatus.Diverged, result.Status);
        Assert.Equal(14, result.Steps);
        Assert.Contains("step 15", result.Message, StringComparison.Ordinal);
        Assert.EndsWith("step-000010", result.LastCheckpoint, StringComparison.Ordinal);
        Assert.Contains(result.LastCheckpoint!, result.Message, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Failed, RunStore.Open(store).Get(result.RunId!).Summary.Status);
    }

    [Fact]
    public void Bf16_passes_need_a_twin_and_a_task_without_one_is_told_so()
    {
        var error = Assert.Throws<NotSupportedException>(() => Train(RepoPaths.NewTempFolder("llmops-loop-bf16"), bfloat16: true));
        Assert.Contains(nameof(ToyClassifierTask), error.Message, StringComparison.Ordinal);
        Assert.Contains("Fp32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_the_loop_cannot_run_with_are_named_before_anything_is_written()
    {
        string folder = RepoPaths.NewTempFolder("llmops-loop-settings");
        var error = Assert.Throws<ArgumentException>(() => new TrainingLoop(Config(folder) with { MaxSteps = 0, KeepLast = 0 }));
        Assert.Contains("MaxSteps must be positive", error.Message, StringComparison.Ordinal);
        Assert.Contains("KeepLast must be positive", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(folder, "checkpoints")));
    }
}
