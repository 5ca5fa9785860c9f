using System.CommandLine;
using LlmOps.Cli.Output;
using LlmOps.Core.Display;
using LlmOps.Core.Training;
using Spectre.Console;

namespace LlmOps.Cli.Commands;

/// <summary><c>llmops smoke</c>: a seconds-long real training run that proves the stack end to end.</summary>
static class SmokeCommand
{
    public static Command Create()
    {
        var defaults = new SmokeTrainingConfig();
        var steps = new Option<int>("--steps") { Description = "optimiser steps", DefaultValueFactory = _ => defaults.Steps };
        var device = new Option<string?>("--device") { Description = "auto, cpu or cuda" };
        var seed = new Option<int>("--seed") { Description = "seed for the weights", DefaultValueFactory = _ => defaults.Seed };
        var output = new Option<DirectoryInfo?>("--out") { Description = "folder for result.json (the loss at every step)" };
        var command = new Command("smoke", "Train a small MLP on sin(x) and check that the loss falls") { steps, device, seed, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = ConsoleFor.Output(parse);
            var config = defaults with { Steps = parse.GetValue(steps), Device = parse.GetValue(device), Seed = parse.GetValue(seed) };
            SmokeTrainingResult result;
            if (console.Profile.Capabilities.Interactive)
            {
                result = await console.Progress().StartAsync(context =>
                {
                    using var _ = DisplayHook.Use(new ProgressBarSink(context, console));
                    return Task.FromResult(SmokeTraining.Run(config, cancellationToken));
                });
            }
            else
            {
                using var _ = DisplayHook.Use(new ConsoleDisplaySink(console.Profile.Out.Writer, interactive: false, appendEvery: 5));
                result = SmokeTraining.Run(config, cancellationToken);
            }
            console.WriteLine(TextRenderer.Render(result));
            if (parse.GetValue(output) is { } folder)
            {
                string path = Path.Combine(folder.FullName, "result.json");
                await Json.WriteFileAsync(path, result, cancellationToken);
                console.WriteLine($"wrote {path}");
            }
            if (result.Cancelled)
                return CliErrors.Cancelled;
            bool learned = result.FinalLoss < result.InitialLoss / 10;
            if (!learned)
                console.MarkupLine("[red]the loss did not fall by 10x: something is wrong with this libtorch[/]");
            return learned ? 0 : 1;
        });
        return command;
    }
}
