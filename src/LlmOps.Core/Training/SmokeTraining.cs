using System.Diagnostics;
using LlmOps.Core.Display;
using LlmOps.Core.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmOps.Core.Training;

/// <summary>
/// The smallest real training run: proves that libtorch loads, autograd and the optimiser work, and that the
/// loss falls, in well under a second on two cores. The later trainer follows the same shape.
/// </summary>
public static class SmokeTraining
{
    /// <summary>Trains, showing progress through the display hook; stops early (and says so) when cancelled.</summary>
    public static SmokeTrainingResult Run(SmokeTrainingConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfLessThan(config.Steps, 1);
        var device = DeviceSelector.Select(config.Device);
        Seeding.SeedEverything(config.Seed);
        var target = device.ToTorch();

        using var model = nn.Sequential(
            ("hidden", nn.Linear(1, config.Hidden)),
            ("activation", nn.Tanh()),
            ("output", nn.Linear(config.Hidden, 1)));
        model.to(target);
        using var x = linspace(-Math.PI, Math.PI, config.Points, device: target).unsqueeze(1);
        using var y = sin(x);
        using var optimizer = optim.Adam(model.parameters(), lr: config.LearningRate);

        var losses = new List<double>(config.Steps);
        var clock = Stopwatch.StartNew();
        var display = DisplayHook.Show(new SmokeTrainingProgress(0, config.Steps, double.NaN, 0));
        int every = Math.Max(1, config.Steps / 20);
        bool cancelled = false;
        for (int step = 1; step <= config.Steps; step++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                cancelled = true;
                break;
            }
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.call(x), y);
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
            if (step % every == 0 || step == config.Steps)
                display.Update(new SmokeTrainingProgress(step, config.Steps, losses[^1], clock.Elapsed.TotalSeconds));
        }
        return new SmokeTrainingResult(
            device.Name, losses.Count, losses.FirstOrDefault(double.NaN), losses.LastOrDefault(double.NaN),
            clock.Elapsed.TotalSeconds, losses, cancelled);
    }
}
