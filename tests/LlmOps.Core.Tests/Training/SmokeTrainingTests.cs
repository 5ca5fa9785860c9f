using LlmOps.Core.Display;
using LlmOps.Core.Training;

namespace LlmOps.Core.Tests.Training;

public class SmokeTrainingTests
{
    [Fact]
    public void The_loss_falls_below_a_bound()
    {
        var result = SmokeTraining.Run(new SmokeTrainingConfig(Device: "cpu"));

        Assert.Equal(400, result.Steps);
        Assert.True(result.InitialLoss > 0.1, $"initial loss {result.InitialLoss}");
        Assert.True(result.FinalLoss < 0.01, $"final loss {result.FinalLoss}");
        Assert.False(result.Cancelled);
    }

    [Fact]
    public void A_seeded_run_is_deterministic()
    {
        var config = new SmokeTrainingConfig(Steps: 50, Device: "cpu", Seed: 5);
        Assert.Equal(SmokeTraining.Run(config).Losses, SmokeTraining.Run(config).Losses);
        Assert.NotEqual(SmokeTraining.Run(config).Losses, SmokeTraining.Run(config with { Seed = 6 }).Losses);
    }

    [Fact]
    public void Progress_goes_through_the_display_hook_and_updates_in_place()
    {
        var writer = new StringWriter();
        using (DisplayHook.Use(new ConsoleDisplaySink(writer, interactive: false, render: v => PlatformText.Text((SmokeTrainingProgress)v))))
            SmokeTraining.Run(new SmokeTrainingConfig(Steps: 40, Device: "cpu"));

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(21, lines.Length); // the first show, then 20 updates
        Assert.Contains("step 40/40", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Cancelling_stops_the_run_and_says_so()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var result = SmokeTraining.Run(new SmokeTrainingConfig(Device: "cpu"), cancel.Token);
        Assert.True(result.Cancelled);
        Assert.Equal(0, result.Steps);
    }
}
