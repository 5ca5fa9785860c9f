using System.Text.Json;
using LlmOps.Core.Data;
using LlmOps.Tests;
using Parquet;
using Parquet.Schema;

namespace LlmOps.Core.Tests.Data;

/// <summary>Parquet files written here with Parquet.Net itself, then read back through <see cref="DocumentReader.ReadParquet"/>.</summary>
public class ParquetReaderTests
{
    static readonly DataField<string> Id = new("id");
    static readonly DataField<string> Text = new("text");
    static readonly DataField<int> Stars = new("stars");
    static readonly DataField<double?> Score = new("score");

    /// <summary>Writes one row group per entry of <paramref name="groups"/>.</summary>
    static async Task<string> WriteReviews(params (string?[] Ids, string?[] Texts, int[] Stars, double?[] Scores)[] groups)
    {
        string path = Path.Combine(RepoPaths.NewTempFolder("llmops-parquet"), "reviews.parquet");
        await using var file = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(Id, Text, Stars, Score), file);
        foreach (var group in groups)
        {
            using var rowGroup = writer.CreateRowGroup();
            await rowGroup.WriteAsync(Id, group.Ids);
            await rowGroup.WriteAsync(Text, group.Texts);
            await rowGroup.WriteAsync(Stars, (ReadOnlyMemory<int>)group.Stars);
            await rowGroup.WriteAsync(Score, (ReadOnlyMemory<double?>)group.Scores);
        }
        return path;
    }

    [Fact]
    public async Task Rows_of_every_row_group_become_documents_with_invariant_metadata()
    {
        string path = await WriteReviews(
            (["r1", "r2", "r3"], ["Good, cheap", "Línea dos\nwith a break", "ok"], [5, 4, 3], [0.25, null, 1e-7]),
            ([null, "r5"], ["fourth", "fifth"], [2, 1], [-3.5, 100]));

        var documents = DocumentReader.ReadParquet(path).ToList();

        Assert.Equal(new[] { "r1", "r2", "r3", "reviews:4", "r5" }, documents.Select(d => d.Id)); // a null id: source and row
        Assert.Equal(new[] { "Good, cheap", "Línea dos\nwith a break", "ok", "fourth", "fifth" }, documents.Select(d => d.Text));
        Assert.All(documents, d => Assert.Equal("reviews", d.Source));
        Assert.Equal(new Dictionary<string, string> { ["stars"] = "5", ["score"] = "0.25" }, documents[0].Metadata);
        Assert.False(documents[1].Metadata.ContainsKey("score")); // null cell: no key, not an empty string
        Assert.Equal("1E-07", documents[2].Metadata["score"]); // round-trip text in the invariant culture
        Assert.Equal("-3.5", documents[3].Metadata["score"]);
    }

    [Fact]
    public async Task A_file_without_the_text_column_names_the_file_the_column_and_the_columns_it_has()
    {
        string path = await WriteReviews((["r1"], ["x"], [1], [null]));

        var error = Assert.Throws<DataFormatException>(() => DocumentReader.ReadParquet(path, new ReadOptions(TextField: "body")).ToList());

        Assert.Equal((path, "body", 0L), (error.File, error.Field, error.Line));
        Assert.Contains("the file has: id, text, stars, score", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_null_text_fails_with_its_row_or_goes_to_the_rejects_file()
    {
        string path = await WriteReviews((["r1", "r2"], ["a", "b"], [1, 2], [null, null]), (["r3", "r4"], ["c", null], [3, 4], [null, 0.5]));

        var error = Assert.Throws<DataFormatException>(() => DocumentReader.ReadParquet(path).ToList());
        Assert.Equal((4L, "row", "text"), (error.Line, error.Unit, error.Field));
        Assert.StartsWith($"{path}, row 4, field 'text': must be a string, found null", error.Message, StringComparison.Ordinal);

        string rejectsPath = Path.Combine(Path.GetDirectoryName(path)!, "rejects.jsonl");
        List<Document> kept;
        using (var rejects = new RejectsWriter(rejectsPath))
            kept = DocumentReader.ReadParquet(path, new ReadOptions(OnBadRecord: BadRecordPolicy.Reject, Rejects: rejects)).ToList();
        Assert.Equal(new[] { "r1", "r2", "r3" }, kept.Select(d => d.Id));
        var rejected = JsonDocument.Parse(Assert.Single(await File.ReadAllLinesAsync(rejectsPath))).RootElement;
        Assert.Equal(4, rejected.GetProperty("line").GetInt64());
        Assert.Equal("text", rejected.GetProperty("field").GetString());
        Assert.Contains("\"id\":\"r4\"", rejected.GetProperty("text").GetString(), StringComparison.Ordinal); // the row, to replay it
    }

    [Fact]
    public async Task A_non_string_text_column_is_a_bad_record_not_a_silent_conversion()
    {
        string path = await WriteReviews((["r1"], ["a"], [5], [null]));
        var error = Assert.Throws<DataFormatException>(() => DocumentReader.ReadParquet(path, new ReadOptions(TextField: "stars")).ToList());
        Assert.Contains("row 1, field 'stars': must be a string, found Int32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_goes_row_group_by_row_group_so_later_groups_are_not_read_early()
    {
        string path = await WriteReviews((["r1", "r2"], ["a", "b"], [1, 2], [null, null]), (["r3"], [null], [3], [null]));
        Assert.Equal(new[] { "a", "b" }, DocumentReader.ReadParquet(path).Take(2).Select(d => d.Text)); // the bad row in group 2 is never reached
    }

    [Fact]
    public async Task A_file_that_is_not_parquet_is_named_in_the_error()
    {
        string path = Path.Combine(RepoPaths.NewTempFolder("llmops-parquet"), "fake.parquet");
        await File.WriteAllTextAsync(path, "id,text\n1,hello\n");
        var error = Assert.Throws<DataFormatException>(() => DocumentReader.ReadParquet(path).ToList());
        Assert.Equal(path, error.File);
        Assert.Contains("not a readable Parquet file", error.Message, StringComparison.Ordinal);
    }
}
