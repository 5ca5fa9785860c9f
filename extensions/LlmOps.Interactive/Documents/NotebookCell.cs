using System.Text.Json.Nodes;

namespace LlmOps.Interactive.Documents;

/// <summary>One cell: code, markdown or raw. Source is one string with '\n' line ends, however the file stored it.</summary>
public sealed class NotebookCell
{
    /// <summary>Creates a cell of <paramref name="cellType"/> ("code", "markdown" or "raw").</summary>
    public NotebookCell(string cellType, string source, string? id = null)
    {
        CellType = cellType;
        Source = source;
        Id = id ?? Guid.NewGuid().ToString("N")[..8];
    }

    /// <summary>The cell id (nbformat 4.5): 1 to 64 letters, digits, '-' or '_'.</summary>
    public string Id { get; set; }

    /// <summary>"code", "markdown" or "raw".</summary>
    public string CellType { get; set; }

    /// <summary>The cell's text.</summary>
    public string Source { get; set; }

    /// <summary>Cell metadata (tags, polyglot_notebook.kernelName, timing written by the runner, and anything else).</summary>
    public JsonObject Metadata { get; set; } = [];

    /// <summary>The execution count of a code cell (null when not run).</summary>
    public int? ExecutionCount { get; set; }

    /// <summary>Outputs of a code cell, in order.</summary>
    public List<CellOutput> Outputs { get; } = [];

    /// <summary>Fields of the cell other than the ones named above (attachments, for example).</summary>
    public JsonObject Extra { get; set; } = [];

    /// <summary>True for code cells.</summary>
    public bool IsCode => CellType == "code";

    /// <summary>The cell's kernel (polyglot_notebook.kernelName), or null when the notebook default applies.</summary>
    public string? KernelName
    {
        get => Metadata["polyglot_notebook"]?["kernelName"]?.GetValue<string>();
        set
        {
            if (value is null)
            {
                (Metadata["polyglot_notebook"] as JsonObject)?.Remove("kernelName");
                return;
            }
            if (Metadata["polyglot_notebook"] is not JsonObject polyglot)
                Metadata["polyglot_notebook"] = polyglot = [];
            polyglot["kernelName"] = value;
        }
    }

    /// <summary>The cell's tags (metadata.tags), e.g. "parameters".</summary>
    public IReadOnlyList<string> Tags =>
        Metadata["tags"] is JsonArray tags ? [.. tags.Select(t => t?.GetValue<string>() ?? "")] : [];

    /// <summary>A C# code cell.</summary>
    public static NotebookCell Code(string source, string? id = null) => new("code", source, id) { KernelName = "csharp" };

    /// <summary>A markdown cell.</summary>
    public static NotebookCell Markdown(string source, string? id = null) => new("markdown", source, id) { KernelName = "markdown" };
}
