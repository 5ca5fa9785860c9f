using Microsoft.Data.Analysis;

namespace LlmOps.Core.Data;

/// <summary>
/// Documents to and from a <see cref="DataFrame"/> (Microsoft.Data.Analysis), so a notebook can look at a corpus as a
/// table, filter or join it, and hand the rows back to the pipeline as documents.
/// </summary>
public static class DocumentFrame
{
    /// <summary>
    /// A frame with the columns id, text and source, then one string column per metadata key, in the order the keys
    /// first appear; a document without a key has null there (not an empty string, which would be a value). A key that
    /// collides with id, text or source is named <c>metadata_KEY</c>, so no value is overwritten.
    /// </summary>
    public static DataFrame ToDataFrame(IEnumerable<Document> documents, bool includeMetadata = true)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var rows = documents.ToList();
        var keys = includeMetadata ? rows.SelectMany(d => d.Metadata.Keys).Distinct(StringComparer.Ordinal).ToList() : [];
        var id = new StringDataFrameColumn("id", rows.Count);
        var text = new StringDataFrameColumn("text", rows.Count);
        var source = new StringDataFrameColumn("source", rows.Count);
        var metadata = keys.Select(k => new StringDataFrameColumn(k is "id" or "text" or "source" ? $"metadata_{k}" : k, rows.Count)).ToList();
        for (int row = 0; row < rows.Count; row++)
        {
            var document = rows[row];
            id[row] = document.Id;
            text[row] = document.Text;
            source[row] = document.Source;
            for (int k = 0; k < keys.Count; k++)
                metadata[k][row] = document.Metadata.TryGetValue(keys[k], out string? value) ? value : null;
        }
        return new DataFrame([id, text, source, .. metadata]);
    }

    /// <summary>
    /// The frame's rows as documents: <paramref name="textColumn"/> is the text, <paramref name="idColumn"/> and
    /// <paramref name="sourceColumn"/> (when the frame has them) the id and source, every other column metadata as
    /// invariant text (null cells left out). A row without an id gets <c>source:row</c> (1-based).
    /// </summary>
    /// <exception cref="ArgumentException">The frame has no <paramref name="textColumn"/>; the message lists its columns.</exception>
    /// <exception cref="DataFormatException">(While enumerating) a row whose text is null; the message names the row.</exception>
    public static IEnumerable<Document> FromDataFrame(DataFrame frame, string textColumn = "text", string? idColumn = "id",
        string? sourceColumn = "source", string defaultSource = "dataframe")
    {
        ArgumentNullException.ThrowIfNull(frame);
        var names = frame.Columns.Select(c => c.Name).ToList();
        if (!names.Contains(textColumn))
            throw new ArgumentException($"The DataFrame has no '{textColumn}' column; it has: {string.Join(", ", names)}.", nameof(textColumn));
        return Rows(frame, textColumn, idColumn is not null && names.Contains(idColumn) ? idColumn : null,
            sourceColumn is not null && names.Contains(sourceColumn) ? sourceColumn : null, defaultSource);
    }

    static IEnumerable<Document> Rows(DataFrame frame, string textColumn, string? idColumn, string? sourceColumn, string defaultSource)
    {
        var text = frame.Columns[textColumn];
        var id = idColumn is null ? null : frame.Columns[idColumn];
        var source = sourceColumn is null ? null : frame.Columns[sourceColumn];
        var others = frame.Columns.Where(c => c.Name != textColumn && c.Name != idColumn && c.Name != sourceColumn).ToList();
        for (long row = 0; row < frame.Rows.Count; row++)
        {
            string rowSource = DocumentReader.InvariantText(source?[row]) ?? defaultSource;
            string documentText = DocumentReader.InvariantText(text[row])
                ?? throw new DataFormatException("(DataFrame)", row + 1, textColumn, "the text is null", unit: "row");
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var column in others)
                if (DocumentReader.InvariantText(column[row]) is { } value)
                    metadata[column.Name] = value;
            yield return new Document(DocumentReader.InvariantText(id?[row]) ?? $"{rowSource}:{row + 1}", documentText, rowSource, metadata);
        }
    }
}
