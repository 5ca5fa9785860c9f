using System.Text.Json.Nodes;

namespace LlmOps.Interactive.Documents;

/// <summary>Opens and saves notebooks by extension (.ipynb or .dib) and converts between the two.</summary>
public static class NotebookConverter
{
    /// <summary>Loads <paramref name="path"/>. A .dib notebook comes back shaped as an nbformat 4.5 C# notebook
    /// (kernelspec, language_info and polyglot_notebook metadata), ready to run and to save as .ipynb.</summary>
    /// <exception cref="NotebookFormatException">An unknown extension or an unreadable file; the message names it.</exception>
    public static NotebookDocument Load(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".ipynb" => IpynbFormat.Load(path),
        ".dib" => DibToIpynb(DibFormat.Load(path)),
        _ => throw new NotebookFormatException(path, 0, "not a notebook: expected a .ipynb or .dib file"),
    };

    /// <summary>Saves <paramref name="document"/> in the format <paramref name="path"/>'s extension names.
    /// Saving as .dib drops outputs, execution counts and cell metadata (the format has no place for them).</summary>
    public static void Save(NotebookDocument document, string path)
    {
        switch (Path.GetExtension(path).ToLowerInvariant())
        {
            case ".ipynb": IpynbFormat.Save(document, path); break;
            case ".dib": DibFormat.Save(document, path); break;
            default: throw new NotebookFormatException(path, 0, "not a notebook: expected a .ipynb or .dib file");
        }
    }

    /// <summary>Gives a notebook read from .dib the metadata of a C# .ipynb, keeping the .dib's kernel info.</summary>
    public static NotebookDocument DibToIpynb(NotebookDocument dib)
    {
        ArgumentNullException.ThrowIfNull(dib);
        var shaped = NotebookDocument.CreateCSharp();
        if (dib.Metadata["polyglot_notebook"]?["kernelInfo"] is JsonObject kernelInfo)
            shaped.Metadata["polyglot_notebook"]!["kernelInfo"] = kernelInfo.DeepClone();
        foreach (var (key, value) in dib.Metadata)
            if (key != "polyglot_notebook")
                shaped.Metadata[key] = value?.DeepClone();
        foreach (var cell in dib.Cells)
        {
            cell.KernelName ??= cell.IsCode ? shaped.DefaultKernelName : "markdown";
            shaped.Cells.Add(cell);
        }
        return shaped;
    }
}
