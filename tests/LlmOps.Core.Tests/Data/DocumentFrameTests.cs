using LlmOps.Core.Data;
using Microsoft.Data.Analysis;

namespace LlmOps.Core.Tests.Data;

public class DocumentFrameTests
{
    static readonly Document[] Documents =
    [
        new("a1", "First text", "web", new Dictionary<string, string> { ["lang"] = "en", ["url"] = "https://example.org/1" }),
        new("a2", "Zweiter Text", "web", new Dictionary<string, string> { ["lang"] = "de" }),
        new("b1", "Third", "books", new Dictionary<string, string> { ["author"] = "Melville", ["id"] = "isbn-1" }),
    ];

    [Fact]
    public void Documents_become_a_frame_with_one_column_per_metadata_key_and_nulls_where_a_key_is_missing()
    {
        var frame = DocumentFrame.ToDataFrame(Documents);

        Assert.Equal(new[] { "id", "text", "source", "lang", "url", "author", "metadata_id" }, frame.Columns.Select(c => c.Name));
        Assert.Equal(3, frame.Rows.Count);
        Assert.Equal("Zweiter Text", frame["text"][1]);
        Assert.Equal("de", frame["lang"][1]);
        Assert.Null(frame["url"][1]);
        Assert.Null(frame["author"][0]);
        Assert.Equal("isbn-1", frame["metadata_id"][2]); // a metadata key named like a core column does not overwrite it
        Assert.Equal(new[] { "id", "text", "source" }, DocumentFrame.ToDataFrame(Documents, includeMetadata: false).Columns.Select(c => c.Name));
    }

    [Fact]
    public void A_frame_round_trips_to_the_same_documents()
    {
        var back = DocumentFrame.FromDataFrame(DocumentFrame.ToDataFrame(Documents.Take(2))).ToList();
        Assert.Equal(Documents.Take(2).Select(d => (d.Id, d.Text, d.Source)), back.Select(d => (d.Id, d.Text, d.Source)));
        Assert.Equal(Documents[0].Metadata, back[0].Metadata);
        Assert.Equal(Documents[1].Metadata, back[1].Metadata); // the null url cell is left out, not read as ""
    }

    [Fact]
    public void Any_frame_reads_with_other_columns_as_invariant_metadata()
    {
        var frame = new DataFrame(
            new StringDataFrameColumn("review", ["good", "bad"]),
            new PrimitiveDataFrameColumn<double>("score", [0.5, 1234.25]),
            new PrimitiveDataFrameColumn<bool>("verified", [true, false]));

        var documents = DocumentFrame.FromDataFrame(frame, textColumn: "review", defaultSource: "reviews").ToList();

        Assert.Equal(new[] { "reviews:1", "reviews:2" }, documents.Select(d => d.Id));
        Assert.Equal(new Dictionary<string, string> { ["score"] = "1234.25", ["verified"] = "false" }, documents[1].Metadata);
    }

    [Fact]
    public void A_missing_text_column_names_it_and_the_columns_there_are()
    {
        var frame = new DataFrame(new StringDataFrameColumn("body", ["x"]));
        var error = Assert.Throws<ArgumentException>(() => DocumentFrame.FromDataFrame(frame));
        Assert.Contains("no 'text' column; it has: body", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_text_is_an_error_naming_the_row()
    {
        var frame = new DataFrame(new StringDataFrameColumn("text", ["ok", null!]));
        var error = Assert.Throws<DataFormatException>(() => DocumentFrame.FromDataFrame(frame).ToList());
        Assert.Equal("(DataFrame), row 2, field 'text': the text is null", error.Message);
    }
}
