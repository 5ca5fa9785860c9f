namespace LlmOps.Core.Data;

/// <summary>One document of a corpus, whatever file it came from.</summary>
/// <param name="Id">Stable identity: the record's own id field, else <c>file:line</c> or the file's relative path.</param>
/// <param name="Text">The text.</param>
/// <param name="Source">Where it came from (a dataset name or file name); mixing and per-source stats group by it.</param>
/// <param name="Metadata">Every other field of the record, as text.</param>
public sealed record Document(string Id, string Text, string Source, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>A document without metadata.</summary>
    public Document(string id, string text, string source) : this(id, text, source, new Dictionary<string, string>()) { }
}
