using System.Net;
using System.Globalization;
using LlmOps.Core.Display;
using LlmOps.Core.IO;
using LlmOps.Core.Platform;
using LlmOps.Core.Training;
using LlmOps.Interactive.Commands;
using LlmOps.Interactive.Formatting;

namespace LlmOps.Interactive.Stages.Platform;

/// <summary>The platform stage: what machine this is (device, measured matmul rate) and a seconds-long training smoke.</summary>
public static class PlatformStage
{
    /// <summary>Devices a command accepts.</summary>
    public static readonly IReadOnlyList<string> Devices = ["auto", "cpu", "cuda"];

    /// <summary>The stage's declaration.</summary>
    public static Stage Declaration { get; } = new("platform", "The compute environment and a training smoke test",
    [
        new MagicCommand("llmops-env", "Show the device, measured matmul GFLOP/s, threads, libtorch and how it was loaded",
            [
                new("device", $"auto, cpu or cuda (default: ${DeviceSelector.EnvironmentVariable}, else auto)", Positional: true, Choices: Devices),
                new("matmul-size", "side of the square fp32 matrices timed", MagicParameterKind.WholeNumber, Default: "1024"),
                new("matmul-seconds", "minimum seconds spent timing", MagicParameterKind.Number, Default: "0.5"),
                new("json", "show the report as JSON", MagicParameterKind.Flag),
            ],
            invocation =>
            {
                var report = EnvironmentReport.Collect(
                    invocation.Get<string?>("device"), invocation.Get<int>("matmul-size"), invocation.Get<double>("matmul-seconds"));
                invocation.Display.Show(invocation.Get<bool>("json") ? ResultJson.Serialize(report) : (object)report);
                return Task.CompletedTask;
            },
            Cli: "env"),
        new MagicCommand("llmops-smoke", "Train a small MLP on sin(x) with live progress; check the loss falls tenfold",
            [
                new("steps", "optimiser steps", MagicParameterKind.WholeNumber, Default: "400"),
                new("device", "auto, cpu or cuda", Choices: Devices),
                new("seed", "seed for the weights", MagicParameterKind.WholeNumber, Default: "1337"),
                new("out", "folder for result.json (the loss at every step)"),
            ],
            async invocation =>
            {
                var result = SmokeTraining.Run(
                    new SmokeTrainingConfig(Steps: invocation.Get<int>("steps"), Device: invocation.Get<string?>("device"), Seed: invocation.Get<int>("seed")),
                    invocation.CancellationToken);
                invocation.Display.Show(result);
                if (invocation.Get<string?>("out") is { } folder)
                {
                    string path = Path.Combine(folder, "result.json");
                    await ResultJson.WriteFileAsync(path, result, invocation.CancellationToken).ConfigureAwait(false);
                    invocation.Display.Show($"wrote {path}");
                }
                if (result.Cancelled)
                    invocation.ExitCode = CommandExitCodes.Cancelled;
                else if (!(result.FinalLoss < result.InitialLoss / 10))
                {
                    invocation.Display.Show("the loss did not fall by 10x: something is wrong with this libtorch");
                    invocation.ExitCode = CommandExitCodes.BadInput;
                }
            },
            Cli: "smoke"),
    ],
    [
        Renderer.For<EnvironmentReport>(PlatformText.Text, (r, _) => HtmlCard.Rows("Environment", PlatformText.Rows(r)), r => [PlatformText.Table(r)]),
        Renderer.For<SmokeTrainingProgress>(PlatformText.Text, (p, _) => ProgressBar(p),
            progress: p => new ConsoleProgress("training", p.Step, p.TotalSteps, double.IsNaN(p.Loss) ? "training" : string.Create(CultureInfo.InvariantCulture, $"loss {p.Loss:F5}"))),
        Renderer.For<SmokeTrainingResult>(PlatformText.Text, (r, _) => HtmlCard.Rows("Smoke training", PlatformText.Rows(r))),
    ]);

    static string ProgressBar(SmokeTrainingProgress progress) => string.Create(CultureInfo.InvariantCulture,
        $"<div class=\"llmops-progress\"><progress max=\"{progress.TotalSteps}\" value=\"{progress.Step}\" style=\"width:20em\"></progress> ")
        + WebUtility.HtmlEncode(PlatformText.Status(progress)) + "</div>";
}
