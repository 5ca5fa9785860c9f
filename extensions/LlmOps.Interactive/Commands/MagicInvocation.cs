using LlmOps.Core.Display;

namespace LlmOps.Interactive.Commands;

/// <summary>What a magic command's handler receives: typed arguments, where to display, and cancellation.</summary>
/// <param name="Command">The command being run.</param>
/// <param name="Arguments">Parameter name to converted value (string, int, double or bool); absent optional parameters map to their default or null.</param>
/// <param name="Display">Where output goes: the kernel, the runner's cell, or the console.</param>
/// <param name="CancellationToken">Signalled when the cell is interrupted or times out.</param>
public sealed record MagicInvocation(
    MagicCommand Command,
    IReadOnlyDictionary<string, object?> Arguments,
    IDisplaySink Display,
    CancellationToken CancellationToken)
{
    /// <summary>The exit code a CLI host returns: 0 unless the handler says otherwise (a cancelled training run sets 130,
    /// a smoke run whose loss did not fall sets 1). Notebook hosts ignore it: a cell fails only by an exception.</summary>
    public int ExitCode { get; set; }

    /// <summary>The argument <paramref name="name"/> as <typeparamref name="T"/> (its default when absent).</summary>
    public T Get<T>(string name) => Arguments.TryGetValue(name, out var value) && value is T typed ? typed : default!;

    /// <summary>The text argument <paramref name="name"/> split at commas, entries trimmed, empty ones dropped (none when absent).</summary>
    public string[] GetList(string name) =>
        Get<string?>(name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    /// <summary>The argument <paramref name="name"/>, or null when absent.</summary>
    public T? GetOrNull<T>(string name) where T : struct =>
        Arguments.TryGetValue(name, out var value) && value is T typed ? typed : null;
}
