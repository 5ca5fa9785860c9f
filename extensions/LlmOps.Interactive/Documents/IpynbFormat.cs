using LlmOps.Core.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmOps.Interactive.Documents;

/// <summary>
/// Reads and writes Jupyter notebooks (nbformat 4.x). Writing produces exactly what Python's <c>nbformat.write</c>
/// produces (sorted keys, one-space indents, multi-line text split into line arrays, a final newline), so a notebook
/// saved by Jupyter, VS Code or nbformat and read here is written back byte for byte, and git diffs stay small.
/// Fields this reader does not know are kept and written back.
/// </summary>
public static class IpynbFormat
{
    // nbformat.v4.rwbase: these MIME types are stored as line arrays too.
    static readonly HashSet<string> SplitMimeTypes = new(StringComparer.Ordinal) { "application/javascript", "image/svg+xml" };

    /// <summary>Parses notebook JSON.</summary>
    /// <exception cref="NotebookFormatException">Not JSON, or not a notebook; the message names <paramref name="pathForErrors"/> and the line.</exception>
    public static NotebookDocument Read(string json, string pathForErrors)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw new NotebookFormatException(pathForErrors, (int)(e.LineNumber ?? -1) + 1, $"not valid JSON: {e.Message}", e);
        }
        if (root is not JsonObject top)
            throw new NotebookFormatException(pathForErrors, 1, "a notebook is a JSON object");

        var document = new NotebookDocument
        {
            NbFormat = Required<int>(top, "nbformat", pathForErrors),
            NbFormatMinor = Required<int>(top, "nbformat_minor", pathForErrors),
            Metadata = Take(top, "metadata") as JsonObject ?? [],
        };
        if (document.NbFormat != 4)
            throw new NotebookFormatException(pathForErrors, 0, $"nbformat {document.NbFormat} is not supported; convert it to version 4 with `jupyter nbconvert --to notebook`");
        if (Take(top, "cells") is not JsonArray cells)
            throw new NotebookFormatException(pathForErrors, 0, "missing the 'cells' array");
        top.Remove("nbformat");
        top.Remove("nbformat_minor");
        document.Extra = top;

        for (int i = 0; i < cells.Count; i++)
        {
            if (cells[i] is not JsonObject cell)
                throw new NotebookFormatException(pathForErrors, 0, $"cell {i + 1} is not a JSON object");
            document.Cells.Add(ReadCell(cell, $"{pathForErrors}: cell {i + 1}", pathForErrors));
        }
        return document;
    }

    /// <summary>Reads the notebook at <paramref name="path"/>.</summary>
    public static NotebookDocument Load(string path) => Read(File.ReadAllText(path, Encoding.UTF8), path);

    /// <summary>The notebook as nbformat writes it.</summary>
    public static string Write(NotebookDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var top = (JsonObject)document.Extra.DeepClone();
        top["cells"] = new JsonArray([.. document.Cells.Select(c => (JsonNode)WriteCell(c, document.NbFormatMinor))]);
        top["metadata"] = document.Metadata.DeepClone();
        top["nbformat"] = document.NbFormat;
        top["nbformat_minor"] = document.NbFormatMinor;
        return PythonJsonWriter.Write(top) + "\n";
    }

    /// <summary>Writes the notebook to <paramref name="path"/> through a temporary file and a rename.</summary>
    public static void Save(NotebookDocument document, string path) => AtomicFile.WriteAllText(path, Write(document));

    static NotebookCell ReadCell(JsonObject cell, string where, string path)
    {
        string type = Take(cell, "cell_type")?.GetValue<string>()
            ?? throw new NotebookFormatException(path, 0, $"{where[(path.Length + 2)..]} has no cell_type");
        var result = new NotebookCell(type, JoinText(Take(cell, "source")) ?? "", Take(cell, "id")?.GetValue<string>() ?? "")
        {
            Metadata = Take(cell, "metadata") as JsonObject ?? [],
        };
        var count = Take(cell, "execution_count");
        result.ExecutionCount = count?.GetValue<int>();
        if (Take(cell, "outputs") is JsonArray outputs)
            foreach (var output in outputs.OfType<JsonObject>())
                result.Outputs.Add(ReadOutput(output));
        result.Extra = cell;
        return result;
    }

    static CellOutput ReadOutput(JsonObject output)
    {
        var result = new CellOutput(Take(output, "output_type")?.GetValue<string>() ?? "display_data")
        {
            Name = Take(output, "name")?.GetValue<string>(),
            Text = JoinText(Take(output, "text")),
            Metadata = Take(output, "metadata") as JsonObject ?? [],
            ExecutionCount = Take(output, "execution_count")?.GetValue<int>(),
            EName = Take(output, "ename")?.GetValue<string>(),
            EValue = Take(output, "evalue")?.GetValue<string>(),
        };
        if (Take(output, "traceback") is JsonArray traceback)
            result.Traceback = [.. traceback.Select(l => l?.GetValue<string>() ?? "")];
        if (Take(output, "data") is JsonObject data)
        {
            foreach (var (mime, value) in data.ToList())
                if (value is JsonArray lines && (mime.StartsWith("text/", StringComparison.Ordinal) || SplitMimeTypes.Contains(mime)))
                    data[mime] = JoinText(lines);
            result.Data = data;
        }
        result.Extra = output;
        return result;
    }

    static JsonObject WriteCell(NotebookCell cell, int minor)
    {
        var json = (JsonObject)cell.Extra.DeepClone();
        json["cell_type"] = cell.CellType;
        if (cell.Id.Length > 0 || minor >= 5)
            json["id"] = cell.Id.Length > 0 ? cell.Id : Guid.NewGuid().ToString("N")[..8];
        json["metadata"] = cell.Metadata.DeepClone();
        json["source"] = SplitLines(cell.Source);
        if (cell.IsCode)
        {
            json["execution_count"] = cell.ExecutionCount;
            json["outputs"] = new JsonArray([.. cell.Outputs.Select(o => (JsonNode)WriteOutput(o))]);
        }
        if (json["attachments"] is JsonObject attachments)
            foreach (var (_, bundle) in attachments)
                if (bundle is JsonObject mimeBundle)
                    SplitBundle(mimeBundle);
        return json;
    }

    static JsonObject WriteOutput(CellOutput output)
    {
        var json = (JsonObject)output.Extra.DeepClone();
        json["output_type"] = output.OutputType;
        switch (output.OutputType)
        {
            case "stream":
                json["name"] = output.Name ?? "stdout";
                json["text"] = SplitLines(output.Text ?? "");
                break;
            case "error":
                json["ename"] = output.EName ?? "";
                json["evalue"] = output.EValue ?? "";
                json["traceback"] = new JsonArray([.. output.Traceback.Select(l => (JsonNode)l)]);
                break;
            default:
                var data = (JsonObject)output.Data.DeepClone();
                SplitBundle(data);
                json["data"] = data;
                json["metadata"] = output.Metadata.DeepClone();
                if (output.OutputType == "execute_result")
                    json["execution_count"] = output.ExecutionCount;
                break;
        }
        return json;
    }

    static void SplitBundle(JsonObject bundle)
    {
        foreach (var (mime, value) in bundle.ToList())
            if ((mime.StartsWith("text/", StringComparison.Ordinal) || SplitMimeTypes.Contains(mime))
                && value is JsonValue text && text.TryGetValue(out string? s))
                bundle[mime] = SplitLines(s);
    }

    /// <summary>Python's <c>str.splitlines(keepends=True)</c>, which nbformat uses to store text as line arrays.</summary>
    internal static JsonArray SplitLines(string text)
    {
        var lines = new JsonArray();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool isBreak = c is '\n' or '\r' or '\v' or '\f' or '\x1c' or '\x1d' or '\x1e' or '\x85' or '\u2028' or '\u2029';
            if (!isBreak)
                continue;
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                i++;
            lines.Add(text[start..(i + 1)]);
            start = i + 1;
        }
        if (start < text.Length)
            lines.Add(text[start..]);
        return lines;
    }

    static string? JoinText(JsonNode? node) => node switch
    {
        null => null,
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>())),
        _ => node.GetValue<string>(),
    };

    static JsonNode? Take(JsonObject json, string name)
    {
        if (!json.TryGetPropertyValue(name, out var value))
            return null;
        json.Remove(name);
        return value;
    }

    static T Required<T>(JsonObject json, string name, string path)
    {
        var value = Take(json, name) ?? throw new NotebookFormatException(path, 0, $"missing '{name}'");
        try
        {
            return value.GetValue<T>();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new NotebookFormatException(path, 0, $"'{name}' must be a {typeof(T).Name.ToLowerInvariant()}", e);
        }
    }
}
