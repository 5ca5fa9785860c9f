using System.Text;
using LlmOps.Core.Display;
using LlmOps.Core.Modeling;
using LlmOps.Core.Training;
using LlmOps.Interactive.Commands;
using LlmOps.Interactive.Formatting;

namespace LlmOps.Interactive.Stages.Pretraining;

/// <summary>The pretraining stage: a GPT's shape and size, and training it with a live loss chart.</summary>
public static class PretrainStage
{
    /// <summary>The stage's declaration.</summary>
    public static Stage Declaration { get; } = new("pretraining", "Pretrain a GPT with checkpoints, exact resume and tracking",
    [
        new MagicCommand("train", "Pretrain a GPT from a config file with live progress; run it again to resume from the last checkpoint",
            [
                new("config", "a pretraining config (JSON; paths relative to the file)", Positional: true, Required: true),
                new("max-steps", "override the config's step count", MagicParameterKind.WholeNumber),
                new("no-resume", "refuse to continue from checkpoints in the out folder", MagicParameterKind.Flag),
            ],
            invocation =>
            {
                var config = PretrainConfig.Load(invocation.Get<string>("config"));
                if (invocation.Get<int?>("max-steps") is { } steps)
                    config = (config with { MaxSteps = steps }).Validate();
                if (invocation.Get<bool>("no-resume"))
                    config = config with { Resume = false };
                var result = Pretrainer.Run(config, invocation.CancellationToken);
                invocation.Display.Show(result);
                invocation.ExitCode = result.Status switch
                {
                    PretrainStatus.Completed or PretrainStatus.EarlyStopped => 0,
                    PretrainStatus.Cancelled => CommandExitCodes.Cancelled,
                    _ => CommandExitCodes.BadInput, // diverged: the config (learning rate, warmup) needs changing
                };
                return Task.CompletedTask;
            },
            Cli: "train"),
    ],
    [
        Renderer.For<GptConfig>(c => c.ToString()),
        Renderer.For<GptSummary>(ModelText.Render, tables: s => [ModelText.Table(s)]),
        Renderer.For<PretrainProgress>(TrainingText.Line, TrainingHtml.Live,
            progress: p => new ConsoleProgress("pretraining", p.Step, p.TotalSteps, Describe(p))),
        Renderer.For<PretrainResult>(r => TrainingText.Summary(r).ToText(), TrainingHtml.Result, r => [TrainingText.Summary(r)]),
    ]);

    /// <summary>Train and validation loss, throughput and ETA: what fits beside a bar.</summary>
    static string Describe(PretrainProgress progress)
    {
        if (progress.Train.Count == 0)
            return $"pretraining {progress.RunName}";
        var text = new StringBuilder(FormattableString.Invariant($"loss {progress.TrainLoss:F4}"));
        if (progress.Validation.Count > 0)
            text.Append(FormattableString.Invariant($" val {progress.ValidationLoss:F4}"));
        text.Append(FormattableString.Invariant($" · {progress.TokensPerSecond:N0} tok/s"));
        if (progress.EtaSeconds is { } eta && progress.Step < progress.TotalSteps)
            text.Append(" · ETA ").Append(TrainingText.Duration(eta));
        return text.ToString();
    }
}
