using System.Text;

namespace LlmOps.Interactive.Engine.Execution;

/// <summary>
/// Console.Out and Console.Error are process-wide, but several sessions may run cells at once (a test run, a host
/// running notebooks in parallel). So the console is replaced once by a writer that sends each write to the cell
/// running in the current async flow, or to the original console when no cell is running.
/// </summary>
static class ConsoleRouter
{
    static readonly AsyncLocal<CellOutputCollector?> Current = new();
    static readonly Lazy<bool> Installed = new(() =>
    {
        Console.SetOut(new RoutingWriter(Console.Out, "stdout"));
        Console.SetError(new RoutingWriter(Console.Error, "stderr"));
        return true;
    });

    /// <summary>Routes this async flow's console output to <paramref name="collector"/> until disposed.</summary>
    public static IDisposable Capture(CellOutputCollector collector)
    {
        _ = Installed.Value;
        var previous = Current.Value;
        Current.Value = collector;
        return new Restore(() => Current.Value = previous);
    }

    sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    sealed class RoutingWriter(TextWriter original, string stream) : TextWriter
    {
        public override Encoding Encoding => original.Encoding;

        public override void Write(char value)
        {
            if (Current.Value is { } cell) cell.Write(stream, value.ToString());
            else original.Write(value);
        }

        public override void Write(string? value)
        {
            if (Current.Value is { } cell) cell.Write(stream, value ?? "");
            else original.Write(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            if (Current.Value is { } cell) cell.Write(stream, new string(buffer, index, count));
            else original.Write(buffer, index, count);
        }

        public override void Flush()
        {
            if (Current.Value is null) original.Flush();
        }
    }
}
