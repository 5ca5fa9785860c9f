using LlmOps.Core.Display;
using LlmOps.Interactive.Formatting;

namespace LlmOps.Interactive.Stages;

/// <summary>How one type displays in every host: text (console, logs, text/plain), HTML (notebooks, reports), console
/// tables (the CLI's result tables) and a console progress bar (the CLI while work runs). Only text is required.</summary>
/// <param name="Type">The type rendered (values of derived types use it too).</param>
/// <param name="Text">The text form.</param>
/// <param name="Html">The HTML form, drawn into the document <see cref="RenderContext"/> belongs to; null: the text in a &lt;pre&gt;.</param>
/// <param name="Tables">The tables the CLI prints for a result; null: it prints the text.</param>
/// <param name="Progress">The progress bar for a progress value; null: not a progress value.</param>
public sealed record Renderer(
    Type Type,
    Func<object, string> Text,
    Func<object, RenderContext, string>? Html = null,
    Func<object, IReadOnlyList<TextTable>>? Tables = null,
    Func<object, ConsoleProgress>? Progress = null)
{
    /// <summary>A renderer for <typeparamref name="T"/> from typed functions.</summary>
    public static Renderer For<T>(
        Func<T, string> text,
        Func<T, RenderContext, string>? html = null,
        Func<T, IReadOnlyList<TextTable>>? tables = null,
        Func<T, ConsoleProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new(typeof(T), value => text((T)value),
            html is null ? null : (value, context) => html((T)value, context),
            tables is null ? null : value => tables((T)value),
            progress is null ? null : value => progress((T)value));
    }
}
