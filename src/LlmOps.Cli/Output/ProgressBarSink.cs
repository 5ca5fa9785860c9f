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
            if (value is TrainingProgress progress)
            {
                task ??= context.AddTask("training", maxValue: progress.TotalSteps);
                task.Value = progress.Step;
                task.Description = double.IsNaN(progress.Loss) ? "training" : $"loss {progress.Loss:F5}";
            }
            else
            {
                console.WriteLine(TextRenderer.Render(value));
            }
        }
    }
}
