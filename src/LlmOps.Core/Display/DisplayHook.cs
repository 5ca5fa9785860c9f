namespace LlmOps.Core.Display;

/// <summary>
/// The one display hook of the core library: long-running work shows a value and updates it in place through
/// here, and each host connects its own output. The core never references a host. This is the project's only
/// mutable static: the host sets <see cref="Sink"/> once at start-up; <see cref="Use"/> overrides it for the
/// current async flow only (a test, one notebook cell).
/// </summary>
public static class DisplayHook
{
    static readonly AsyncLocal<IDisplaySink?> Scoped = new();
    static IDisplaySink sink = new ConsoleDisplaySink(Console.Out);

    /// <summary>The process-wide sink (the console until a host replaces it).</summary>
    public static IDisplaySink Sink
    {
        get => sink;
        set => sink = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The sink in effect here: a scoped override if one is active, else <see cref="Sink"/>.</summary>
    public static IDisplaySink Current => Scoped.Value ?? sink;

    /// <summary>Shows <paramref name="value"/> on the current sink.</summary>
    public static IDisplayHandle Show(object value) => Current.Show(value);

    /// <summary>Routes this async flow's output to <paramref name="scopedSink"/> until the result is disposed.</summary>
    public static IDisposable Use(IDisplaySink scopedSink)
    {
        var previous = Scoped.Value;
        Scoped.Value = scopedSink;
        return new Restore(() => Scoped.Value = previous);
    }

    sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
