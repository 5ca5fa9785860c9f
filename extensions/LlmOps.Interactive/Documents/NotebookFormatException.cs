namespace LlmOps.Interactive.Documents;

/// <summary>A notebook file that cannot be read: the message names the file and, where known, the line.</summary>
public sealed class NotebookFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/> (line 0 when unknown).</summary>
    public NotebookFormatException(string path, int line, string problem, Exception? inner = null)
        : base(line > 0 ? $"{path}, line {line}: {problem}" : $"{path}: {problem}", inner)
    {
        Path = path;
        Line = line;
    }

    /// <summary>Creates the exception.</summary>
    public NotebookFormatException() : this("(unknown)", 0, "invalid notebook") { }

    /// <summary>Creates the exception.</summary>
    public NotebookFormatException(string message) : this("(unknown)", 0, message) { }

    /// <summary>Creates the exception.</summary>
    public NotebookFormatException(string message, Exception innerException) : this("(unknown)", 0, message, innerException) { }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The 1-based line of the problem, 0 when unknown.</summary>
    public int Line { get; }
}
