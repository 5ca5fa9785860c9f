using System.CommandLine;
using LlmOps.Cli.Output;
using LlmOps.Core.Display;
using LlmOps.Core.Training;
using Spectre.Console;

namespace LlmOps.Cli.Commands;

/// <summary><c>llmops train --config FILE</c>: pretrain a GPT on token shards with a progress bar; Ctrl-C leaves a
/// resumable checkpoint and running the same command again resumes.</summary>
static class TrainCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "a pretraining config (JSON; paths relative to the file)", Required = true };
        var maxSteps = new Option<int?>("--max-steps") { Description = "override the config's step count" };
        var fresh = new Option<bool>("--no-resume") { Description = "refuse to continue from checkpoints in the out folder" };
        var command = new Command("train", "Pretrain a GPT on token shards: live progress, checkpoints, exact resume, tracking") { config, maxSteps, fresh };
        command.SetAction((parse, cancellationToken) =>
        {
            var console = ConsoleFor.Output(parse);
            PretrainConfig settings;
            try
            {
                settings = PretrainConfig.Load(parse.GetValue(config)!);
                if (parse.GetValue(maxSteps) is { } steps)
                    settings = (settings with { MaxSteps = steps }).Validate();
                if (parse.GetValue(fresh))
                    settings = settings with { Resume = false };
            }
            catch (Exception e) when (CliErrors.IsBadInput(e))
            {
                return Task.FromResult(CliErrors.Report(parse, e.Message, CliErrors.BadInput));
            }

            PretrainResult result;
            if (console.Profile.Capabilities.Interactive)
            {
                result = console.Progress().Start(context =>
                {
                    using var _ = DisplayHook.Use(new ProgressBarSink(context, console));
                    return Pretrainer.Run(settings, cancellationToken);
                });
            }
            else
            {
                using var _ = DisplayHook.Use(new ConsoleDisplaySink(console.Profile.Out.Writer, interactive: false, appendEvery: 20));
                result = Pretrainer.Run(settings, cancellationToken);
            }
            console.WriteLine(TextRenderer.Render(result));
            return Task.FromResult(result.Status switch
            {
                PretrainStatus.Completed or PretrainStatus.EarlyStopped => 0,
                PretrainStatus.Cancelled => CliErrors.Cancelled,
                _ => CliErrors.BadInput, // diverged: the config (learning rate, warmup) needs changing
            });
        });
        return command;
    }
}
