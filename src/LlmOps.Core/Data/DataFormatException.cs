namespace LlmOps.Core.Data;

/// <summary>Input that cannot be read as documents: the message names the file, the line and, where it applies, the field.</summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="file">The file (or, for data that has none, what it is, e.g. <c>(DataFrame)</c>).</param>
    /// <param name="line">The 1-based line or row; 0 when the problem is the whole file.</param>
    /// <param name="field">The field or column to blame, when one is.</param>
    /// <param name="reason">What is wrong, without the location.</param>
    /// <param name="inner">The error underneath, when there is one.</param>
    /// <param name="unit">What <paramref name="line"/> counts: <c>line</c> for text formats, <c>row</c> for tabular ones
    /// (Parquet, DataFrames), where a line number would mean nothing to the reader of the message.</param>
    public DataFormatException(string file, long line, string? field, string reason, Exception? inner = null, string unit = "line")
        : base($"{file}{(line > 0 ? $", {unit} {line}" : "")}{(field is null ? "" : $", field '{field}'")}: {reason}", inner)
    {
        File = file;
        Line = line;
        Field = field;
        Reason = reason;
        Unit = unit;
    }

    /// <summary>Creates the exception.</summary>
    public DataFormatException() : this("(unknown)", 0, null, "unreadable input") { }

    /// <summary>Creates the exception.</summary>
    public DataFormatException(string message) : this("(unknown)", 0, null, message) { }

    /// <summary>Creates the exception.</summary>
    public DataFormatException(string message, Exception innerException) : this("(unknown)", 0, null, message, innerException) { }

    /// <summary>The file.</summary>
    public string File { get; }

    /// <summary>The 1-based line, or row where <see cref="Unit"/> says so (0 when the problem is the whole file).</summary>
    public long Line { get; }

    /// <summary>What <see cref="Line"/> counts: <c>line</c> or <c>row</c>.</summary>
    public string Unit { get; }

    /// <summary>The field, when one is to blame.</summary>
    public string? Field { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; }
}
