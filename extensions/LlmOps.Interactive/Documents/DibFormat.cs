using LlmOps.Core.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmOps.Interactive.Documents;

/// <summary>
/// Reads and writes Polyglot Notebooks' plain-text format (.dib): an optional <c>#!meta</c> block with kernel info,
/// then cells, each headed by a line naming its kernel (<c>#!csharp</c>, <c>#!markdown</c>, ...). A <c>#!</c> line that
/// names no kernel (a magic command such as <c>#!llmops-help</c>) belongs to the cell it is in. Leading and trailing
/// blank lines of a cell are not kept, empty cells are dropped, and .dib has no outputs: the same rules as the
/// kernel's own reader and writer.
/// </summary>
public static class DibFormat
{
    static readonly Dictionary<string, string> BuiltInKernels = new(StringComparer.Ordinal)
    {
        ["csharp"] = "csharp", ["C#"] = "csharp", ["c#"] = "csharp", ["cs"] = "csharp",
        ["fsharp"] = "fsharp", ["F#"] = "fsharp", ["f#"] = "fsharp", ["fs"] = "fsharp",
        ["pwsh"] = "pwsh", ["powershell"] = "pwsh",
        ["javascript"] = "javascript", ["js"] = "javascript",
        ["html"] = "html", ["sql"] = "sql", ["kql"] = "kql", ["mermaid"] = "mermaid", ["value"] = "value", ["http"] = "http",
        ["markdown"] = "markdown", ["md"] = "markdown",
    };

    static readonly JsonSerializerOptions MetaJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Parses .dib text. The <c>#!meta</c> block becomes the notebook's <c>polyglot_notebook</c> metadata.</summary>
    /// <exception cref="NotebookFormatException">The <c>#!meta</c> block is not JSON; the message names the file and line.</exception>
    public static NotebookDocument Read(string text, string pathForErrors)
    {
        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var kernels = new Dictionary<string, string>(BuiltInKernels, StringComparer.Ordinal);
        var document = new NotebookDocument();
        string kernel = "csharp";
        var current = new List<string>();
        bool metaSeen = false;

        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (!metaSeen && line.StartsWith("#!meta", StringComparison.Ordinal))
            {
                metaSeen = true;
                int metaLine = i + 2;
                var json = new StringBuilder();
                while (i < lines.Length - 1 && !(line = lines[++i]).StartsWith("#!", StringComparison.Ordinal))
                    json.Append(line).Append('\n');
                JsonObject meta;
                try
                {
                    meta = JsonNode.Parse(json.ToString()) as JsonObject
                        ?? throw new NotebookFormatException(pathForErrors, metaLine, "the #!meta block must be a JSON object");
                }
                catch (JsonException e)
                {
                    throw new NotebookFormatException(pathForErrors, metaLine + (int)(e.LineNumber ?? 0), $"the #!meta block is not valid JSON: {e.Message}", e);
                }
                document.Metadata["polyglot_notebook"] = meta;
                AddKernels(meta, kernels);
                kernel = meta["kernelInfo"]?["defaultKernelName"]?.GetValue<string>() ?? kernel;
                if (!line.StartsWith("#!", StringComparison.Ordinal))
                    break;
            }
            if (line.StartsWith("#!", StringComparison.Ordinal) && kernels.TryGetValue(line[2..].Trim(), out string? named))
            {
                AddCell(document, kernel, current);
                kernel = named;
                current.Clear();
            }
            else
            {
                current.Add(line);
            }
        }
        AddCell(document, kernel, current);
        return document;
    }

    /// <summary>Reads the .dib file at <paramref name="path"/>.</summary>
    public static NotebookDocument Load(string path) => Read(File.ReadAllText(path, Encoding.UTF8), path);

    /// <summary>The notebook as .dib text. Outputs are not part of the format and are left out; raw cells are written as markdown.</summary>
    public static string Write(NotebookDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var lines = new List<string>();
        if (document.Metadata["polyglot_notebook"] is JsonObject meta && meta.Count > 0)
        {
            lines.Add("#!meta");
            lines.Add("");
            lines.Add(meta.ToJsonString(MetaJson));
            lines.Add("");
        }
        foreach (var cell in document.Cells)
        {
            var body = cell.Source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').SkipWhile(l => l.Length == 0).ToList();
            while (body.Count > 0 && body[^1].Length == 0)
                body.RemoveAt(body.Count - 1);
            if (body.Count == 0)
                continue;
            lines.Add("#!" + (cell.IsCode ? cell.KernelName ?? document.DefaultKernelName : "markdown"));
            lines.Add("");
            lines.AddRange(body);
            lines.Add("");
        }
        return string.Join('\n', lines);
    }

    /// <summary>Writes the .dib file through a temporary file and a rename.</summary>
    public static void Save(NotebookDocument document, string path) => AtomicFile.WriteAllText(path, Write(document));

    static void AddKernels(JsonObject meta, Dictionary<string, string> kernels)
    {
        if (meta["kernelInfo"]?["items"] is not JsonArray items)
            return;
        foreach (var item in items.OfType<JsonObject>())
        {
            if (item["name"]?.GetValue<string>() is not { } name)
                continue;
            kernels[name] = name;
            if (item["aliases"] is JsonArray aliases)
                foreach (var alias in aliases)
                    if (alias?.GetValue<string>() is { } a)
                        kernels[a.TrimStart('#', '!')] = name;
        }
    }

    static void AddCell(NotebookDocument document, string kernel, List<string> lines)
    {
        int first = lines.FindIndex(l => l.Length > 0);
        int last = lines.FindLastIndex(l => l.Length > 0);
        if (first < 0)
            return;
        string source = string.Join('\n', lines.Skip(first).Take(last - first + 1));
        string id = $"cell-{document.Cells.Count}";
        document.Cells.Add(kernel == "markdown" ? NotebookCell.Markdown(source, id) : new NotebookCell("code", source, id) { KernelName = kernel });
    }
}
