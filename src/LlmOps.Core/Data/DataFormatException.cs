namespace LlmOps.Core.Data;

/// <summary>Input that cannot be read as documents: the message names the file, the line and, where it applies, the field.</summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DataFormatException(string file, long line, string? field, string reason, Exception? inner = null)
        : base($"{file}{(line > 0 ? $", line {line}" : "")}{(field is null ? "" : $", field '{field}'")}: {reason}", inner)
    {
        File = file;
        Line = line;
        Field = field;
        Reason = reason;
    }

    /// <summary>Creates the exception.</summary>
    public DataFormatException() : this("(unknown)", 0, null, "unreadable input") { }

    /// <summary>Creates the exception.</summary>
    public DataFormatException(string message) : this("(unknown)", 0, null, message) { }

    /// <summary>Creates the exception.</summary>
    public DataFormatException(string message, Exception innerException) : this("(unknown)", 0, null, message, innerException) { }

    /// <summary>The file.</summary>
    public string File { get; }

    /// <summary>The 1-based line (0 when the problem is the whole file).</summary>
    public long Line { get; }

    /// <summary>The field, when one is to blame.</summary>
    public string? Field { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; }
}
