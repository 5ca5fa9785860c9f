using LlmOps.Core.Display;
using LlmOps.Interactive.Stages;
using Spectre.Console;

namespace LlmOps.Cli.Output;

/// <summary>
/// What a verb shows, on the console, as its stage declares: progress values move a Spectre progress bar on a terminal
/// (or append a line every <c>appendEvery</c>-th update when output is redirected, and the last state when the verb
/// ends, so a CI log always holds the final numbers); results with tables print as tables; anything else as its text.
/// </summary>
sealed class CliDisplaySink(IAnsiConsole console, StageRegistry stages, ProgressContext? progress, int appendEvery = 10) : IDisplaySink, IDisposable
{
    readonly StageRegistry stages = stages;
    readonly ProgressContext? progress = progress;
    readonly int appendEvery = Math.Max(1, appendEvery);
    readonly List<Handle> handles = [];
    readonly object gate = new();

    public IDisplayHandle Show(object value)
    {
        var handle = new Handle(this);
        lock (gate)
            handles.Add(handle);
        handle.Write(value, isUpdate: false);
        return handle;
    }

    /// <summary>Prints each handle's last update that the append interval skipped.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            foreach (var handle in handles)
                handle.Flush();
        }
    }

    void Print(object value)
    {
        if (stages.Find(value.GetType())?.Tables is { } tables)
        {
            foreach (var table in tables(value))
                console.Write(ConsoleTables.ToSpectre(table));
        }
        else
        {
            console.Profile.Out.Writer.WriteLine(stages.Text(value).TrimEnd('\n'));
            console.Profile.Out.Writer.Flush();
        }
    }

    sealed class Handle(CliDisplaySink owner) : IDisplayHandle
    {
        ProgressTask? task;
        object? skipped;
        int updates;

        public void Update(object value) => Write(value, isUpdate: true);

        internal void Write(object value, bool isUpdate)
        {
            lock (owner.gate)
            {
                if (owner.progress is { } context && owner.stages.Find(value.GetType())?.Progress is { } describe)
                {
                    var state = describe(value);
                    task ??= context.AddTask(Markup.Escape(state.Task), maxValue: Math.Max(1, state.Total));
                    task.IsIndeterminate = state.Total <= 0;
                    task.MaxValue = Math.Max(1, state.Total);
                    task.Value = state.Value;
                    task.Description = Markup.Escape(state.Description);
                    return;
                }
                if (isUpdate && owner.progress is null && ++updates % owner.appendEvery != 0)
                {
                    skipped = value;
                    return;
                }
                skipped = null;
                owner.Print(value);
            }
        }

        internal void Flush()
        {
            if (skipped is { } last)
                owner.Print(last);
            skipped = null;
        }
    }
}
