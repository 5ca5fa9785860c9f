namespace LlmOps.Interactive.Commands;

/// <summary>A magic command line that cannot run: unknown command, unknown option, missing or malformed value.
/// The message names the command and what is wrong, and <see cref="Line"/> gives the cell line (1-based).</summary>
public sealed class MagicCommandException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MagicCommandException(string message, int line = 0) : base(message) => Line = line;

    /// <summary>Creates the exception.</summary>
    public MagicCommandException() : this("Invalid magic command.") { }

    /// <summary>Creates the exception.</summary>
    public MagicCommandException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception for a command whose input was refused by the library (an unknown tokenizer, a
    /// missing file): <paramref name="innerException"/> keeps the library's exception for debugging.</summary>
    public MagicCommandException(string message, int line, Exception innerException) : base(message, innerException) => Line = line;

    /// <summary>The cell line of the magic command (1-based), 0 when unknown.</summary>
    public int Line { get; }
}
