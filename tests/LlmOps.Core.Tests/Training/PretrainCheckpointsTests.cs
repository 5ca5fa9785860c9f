using LlmOps.Core.Modeling;
using LlmOps.Core.Training;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Training;

public class PretrainCheckpointsTests
{
    static TrainerState State(int step) => new(step, step, "", double.PositiveInfinity, 0, 0, 0, 0, 7, 8, 1,
        new LearningRateSchedule(1e-3, 1e-4, 0, 10), [], [], []);

    [Fact]
    public void Pruning_keeps_the_last_K_and_the_best_and_pointers_name_folders()
    {
        string folder = Path.Combine(RepoPaths.NewTempFolder("llmops-checkpoints"), "checkpoints");
        using var model = new Gpt(PretrainTestData.Model(), seed: 1);
        using var optimizer = ParameterGroups.CreateAdamW(model, 1e-3, 0.1, 0.9, 0.95);
        var checkpoints = new PretrainCheckpoints(folder, keepLast: 2);
        Assert.Null(checkpoints.Last);

        for (int step = 1; step <= 5; step++)
            checkpoints.Save(model, optimizer, State(step), new CheckpointMetadata("bytes"), isBest: step == 2);

        Assert.Equal([2, 4, 5], checkpoints.Steps().Select(s => s.Step));
        Assert.EndsWith("step-000005", checkpoints.Last, StringComparison.Ordinal);
        Assert.EndsWith("step-000002", checkpoints.Best, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(folder, ".*")); // no temporary folders left

        // A crash between the rename and the pointer update: the highest complete folder is the last.
        File.Delete(Path.Combine(folder, PretrainCheckpoints.LastPointer));
        Assert.EndsWith("step-000005", checkpoints.Last, StringComparison.Ordinal);
        // An incomplete folder (no trainer.json) is not a checkpoint.
        Directory.CreateDirectory(Path.Combine(folder, "step-000009"));
        Assert.EndsWith("step-000005", checkpoints.Last, StringComparison.Ordinal);
    }

    [Fact]
    public void Saving_a_step_again_replaces_its_folder()
    {
        string folder = Path.Combine(RepoPaths.NewTempFolder("llmops-checkpoints"), "checkpoints");
        using var model = new Gpt(PretrainTestData.Model(), seed: 1);
        using var optimizer = ParameterGroups.CreateAdamW(model, 1e-3, 0.1, 0.9, 0.95);
        var checkpoints = new PretrainCheckpoints(folder, keepLast: 3);
        checkpoints.Save(model, optimizer, State(3), new CheckpointMetadata(), isBest: false);
        string path = checkpoints.Save(model, optimizer, State(3) with { TokensSeen = 99 }, new CheckpointMetadata(), isBest: false);

        Assert.Equal(99, TrainerState.Load(Path.Combine(path, TrainerState.FileName)).TokensSeen);
        Assert.Single(checkpoints.Steps());
    }
}
