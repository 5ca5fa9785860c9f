using System.Text.Json.Nodes;

namespace LlmOps.Interactive.Documents;

/// <summary>
/// A notebook in memory: the cells and metadata of an .ipynb (nbformat 4.x) or .dib file. Metadata and any
/// fields this model does not name are kept as JSON, so a read-then-write keeps what other tools put there.
/// </summary>
public sealed class NotebookDocument
{
    /// <summary>nbformat major version (4).</summary>
    public int NbFormat { get; set; } = 4;

    /// <summary>nbformat minor version (5 for documents we create: cells have ids).</summary>
    public int NbFormatMinor { get; set; } = 5;

    /// <summary>Notebook-level metadata (kernelspec, language_info, polyglot_notebook, and anything else).</summary>
    public JsonObject Metadata { get; set; } = [];

    /// <summary>The cells, in order.</summary>
    public List<NotebookCell> Cells { get; } = [];

    /// <summary>Top-level fields other than nbformat, nbformat_minor, metadata and cells.</summary>
    public JsonObject Extra { get; set; } = [];

    /// <summary>The default kernel for cells that do not name one (from polyglot_notebook.kernelInfo), else "csharp".</summary>
    public string DefaultKernelName =>
        Metadata["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]?.GetValue<string>() ?? "csharp";

    /// <summary>An empty C# notebook with the metadata VS Code (Polyglot Notebooks) and Jupyter's .NET kernel expect.</summary>
    public static NotebookDocument CreateCSharp()
    {
        var document = new NotebookDocument();
        document.Metadata["kernelspec"] = new JsonObject
        {
            ["display_name"] = ".NET (C#)",
            ["language"] = "C#",
            ["name"] = ".net-csharp",
        };
        document.Metadata["language_info"] = new JsonObject { ["name"] = "C#" };
        document.Metadata["polyglot_notebook"] = new JsonObject
        {
            ["kernelInfo"] = new JsonObject
            {
                ["defaultKernelName"] = "csharp",
                ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }),
            },
        };
        return document;
    }
}
