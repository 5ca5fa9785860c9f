namespace LlmOps.Core.Display;

/// <summary>
/// Writes values as text. On an interactive terminal an update rewrites the lines the handle wrote last time;
/// when output is redirected (CI logs) each update is appended, and only every <c>appendEvery</c>-th one, so logs
/// stay readable. Values become text through <c>render</c>: hosts pass their stage registry's text forms; without
/// one (a console program using the library alone) a value shows as its <see cref="object.ToString"/>.
/// </summary>
public sealed class ConsoleDisplaySink(TextWriter writer, bool? interactive = null, int appendEvery = 1, Func<object, string>? render = null) : IDisplaySink
{
    readonly TextWriter writer = writer;
    readonly Func<object, string> render = render ?? (value => value.ToString() ?? "");
    readonly int appendEvery = Math.Max(1, appendEvery);
    readonly bool rewrite = interactive ?? !Console.IsOutputRedirected;
    readonly object gate = new();

    /// <inheritdoc />
    public IDisplayHandle Show(object value)
    {
        var handle = new Handle(this);
        handle.Write(value, isUpdate: false);
        return handle;
    }

    sealed class Handle(ConsoleDisplaySink owner) : IDisplayHandle
    {
        int linesWritten;
        int updates;

        public void Update(object value) => Write(value, isUpdate: true);

        internal void Write(object value, bool isUpdate)
        {
            string text = owner.render(value).TrimEnd('\n');
            lock (owner.gate)
            {
                if (isUpdate && owner.rewrite && linesWritten > 0)
                {
                    // Move up and clear what this handle wrote last, then write the new state.
                    owner.writer.Write($"\u001b[{linesWritten}A\u001b[0J");
                }
                else if (isUpdate && !owner.rewrite && ++updates % owner.appendEvery != 0)
                {
                    return;
                }
                owner.writer.WriteLine(text);
                owner.writer.Flush();
                linesWritten = text.Split('\n').Length;
            }
        }
    }
}
