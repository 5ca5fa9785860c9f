using LlmOps.Core.Display;
using LlmOps.Core.Training;
using Spectre.Console;

namespace LlmOps.Cli.Output;

/// <summary>Connects the core's display hook to a Spectre progress bar: training progress moves the bar,
/// anything else is printed above it.</summary>
sealed class ProgressBarSink(ProgressContext context, IAnsiConsole console) : IDisplaySink
{
    public IDisplayHandle Show(object value) => new Handle(context, console, value);

    sealed class Handle : IDisplayHandle
    {
        readonly ProgressContext context;
        readonly IAnsiConsole console;
        ProgressTask? task;

        public Handle(ProgressContext context, IAnsiConsole console, object value)
        {
            this.context = context;
            this.console = console;
            Update(value);
        }

        public void Update(object value)
        {
            if (value is SmokeTrainingProgress progress)
            {
                task ??= context.AddTask("training", maxValue: progress.TotalSteps);
                task.Value = progress.Step;
                task.Description = double.IsNaN(progress.Loss) ? "training" : $"loss {progress.Loss:F5}";
            }
            else if (value is PretrainProgress pretrain)
            {
                task ??= context.AddTask("pretraining", maxValue: pretrain.TotalSteps);
                task.MaxValue = pretrain.TotalSteps;
                task.Value = pretrain.Step;
                task.Description = Markup.Escape(Describe(pretrain));
            }
            else
            {
                console.WriteLine(TextRenderer.Render(value));
            }
        }

        /// <summary>Train and validation loss, throughput and ETA: what fits beside a bar.</summary>
        static string Describe(PretrainProgress progress)
        {
            if (progress.Train.Count == 0)
                return $"pretraining {progress.RunName}";
            var text = new System.Text.StringBuilder(FormattableString.Invariant($"loss {progress.TrainLoss:F4}"));
            if (progress.Validation.Count > 0)
                text.Append(FormattableString.Invariant($" val {progress.ValidationLoss:F4}"));
            text.Append(FormattableString.Invariant($" · {progress.TokensPerSecond:N0} tok/s"));
            if (progress.EtaSeconds is { } eta && progress.Step < progress.TotalSteps)
                text.Append(" · ETA ").Append(TrainingText.Duration(eta));
            return text.ToString();
        }
    }
}
