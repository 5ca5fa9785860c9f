using System.Text;
using System.Text.Json;
using LlmOps.Core.Data;
using LlmOps.Core.Datasets;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Data;

public class DocumentReaderTests
{
    static async Task<string> Write(string name, string content)
    {
        string path = Path.Combine(RepoPaths.NewTempFolder("llmops-read"), name);
        await File.WriteAllTextAsync(path, content, new UTF8Encoding(false));
        return path;
    }

    [Fact]
    public async Task Jsonl_records_become_documents_with_ids_and_metadata()
    {
        string path = await Write("web.jsonl", "{\"id\": 7, \"text\": \"first\", \"lang\": \"en\", \"score\": 0.5}\r\n\n{\"text\": \"second\"}\n");

        var documents = DocumentReader.ReadJsonl(path).ToList();

        Assert.Equal(2, documents.Count);
        Assert.Equal(("7", "first", "web"), (documents[0].Id, documents[0].Text, documents[0].Source));
        Assert.Equal("en", documents[0].Metadata["lang"]);
        Assert.Equal("0.5", documents[0].Metadata["score"]);
        Assert.Equal("web:3", documents[1].Id); // no id field: source and line
    }

    [Theory]
    [InlineData("{\"text\": \"ok\"}\n{\"text\": \"ok\"}\n{\"text\": oops}\n", 3, null, "not valid JSON")]
    [InlineData("{\"text\": \"ok\"}\n{\"body\": \"no text\"}\n", 2, "text", "missing")]
    [InlineData("{\"text\": 42}\n", 1, "text", "must be a string, found number")]
    [InlineData("[1, 2]\n", 1, null, "expected a JSON object")]
    public async Task Bad_jsonl_stops_with_the_file_line_and_field(string content, int line, string? field, string reason)
    {
        string path = await Write("bad.jsonl", content);

        var error = Assert.Throws<DataFormatException>(() => DocumentReader.ReadJsonl(path).ToList());

        Assert.Equal((path, (long)line, field), (error.File, error.Line, error.Field));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"{path}, line {line}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_byte_that_is_not_utf8_is_reported_with_its_line()
    {
        string path = Path.Combine(RepoPaths.NewTempFolder("llmops-read"), "latin1.jsonl");
        await File.WriteAllBytesAsync(path, [.. "{\"text\": \"ok\"}\n{\"text\": \"caf"u8, 0xE9, .. "\"}\n"u8]);

        var error = Assert.Throws<DataFormatException>(() => DocumentReader.ReadJsonl(path).ToList());

        Assert.Equal(2, error.Line);
        Assert.Contains("not UTF-8 (byte 0xE9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_reject_policy_bad_records_go_to_the_rejects_file_and_the_read_goes_on()
    {
        string path = await Write("mixed.jsonl", "{\"text\": \"a\"}\n{broken\n{\"text\": \"b\"}\n{\"title\": \"no text\"}\n");
        string rejectsPath = Path.Combine(Path.GetDirectoryName(path)!, "rejects.jsonl");

        List<Document> documents;
        using (var rejects = new RejectsWriter(rejectsPath))
        {
            documents = DocumentReader.ReadJsonl(path, new ReadOptions(OnBadRecord: BadRecordPolicy.Reject, Rejects: rejects)).ToList();
            Assert.Equal(2, rejects.Count);
        }

        Assert.Equal(new[] { "a", "b" }, documents.Select(d => d.Text));
        var rejected = (await File.ReadAllLinesAsync(rejectsPath)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(new long[] { 2, 4 }, rejected.Select(r => r.GetProperty("line").GetInt64()));
        Assert.All(rejected, r => Assert.Equal("load", r.GetProperty("step").GetString()));
        Assert.Equal("{broken", rejected[0].GetProperty("text").GetString()); // kept whole, so it can be fixed and replayed
        Assert.Equal("text", rejected[1].GetProperty("field").GetString());
    }

    [Fact]
    public void The_reject_policy_without_a_rejects_file_is_refused()
    {
        Assert.Throws<ArgumentException>(() => DocumentReader.ReadJsonl("any.jsonl", new ReadOptions(OnBadRecord: BadRecordPolicy.Reject)).ToList());
    }

    [Fact]
    public async Task Reading_is_lazy_so_large_files_stream()
    {
        string path = await Write("stream.jsonl", "{\"text\": \"1\"}\n{\"text\": \"2\"}\nnot json at all\n");
        Assert.Equal(2, DocumentReader.ReadJsonl(path).Take(2).Count()); // the bad third line is never read
    }

    [Fact]
    public async Task Csv_fields_may_hold_commas_quotes_and_line_breaks()
    {
        string path = await Write("reviews.csv", "id,text,stars\r\n1,\"Good, cheap\",5\r\n2,\"She said \"\"wow\"\"\nand left\",4\n3,plain,3");

        var documents = DocumentReader.ReadCsv(path).ToList();

        Assert.Equal(new[] { "Good, cheap", "She said \"wow\"\nand left", "plain" }, documents.Select(d => d.Text));
        Assert.Equal(new[] { "1", "2", "3" }, documents.Select(d => d.Id));
        Assert.Equal("4", documents[1].Metadata["stars"]);
    }

    [Fact]
    public async Task A_csv_without_the_text_column_names_the_column_and_the_header()
    {
        string path = await Write("no-text.csv", "id,body\n1,hello\n");
        var error = Assert.Throws<DataFormatException>(() => DocumentReader.ReadCsv(path).ToList());
        Assert.Equal((1L, "text"), (error.Line, error.Field));
        Assert.Contains("the header has: id, body", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_short_csv_row_is_named_by_its_line_and_can_be_rejected()
    {
        string path = await Write("short.csv", "id,text,stars\n1,\"multi\nline\",5\n2,missing stars\n3,ok,1\n");

        var error = Assert.Throws<DataFormatException>(() => DocumentReader.ReadCsv(path).ToList());
        Assert.Equal(4, error.Line); // the record after a two-line record starts on line 4
        Assert.Contains("2 fields where the header has 3", error.Message, StringComparison.Ordinal);

        using var rejects = new RejectsWriter(Path.Combine(Path.GetDirectoryName(path)!, "rejects.jsonl"));
        var kept = DocumentReader.ReadCsv(path, new ReadOptions(OnBadRecord: BadRecordPolicy.Reject, Rejects: rejects)).ToList();
        Assert.Equal(new[] { "1", "3" }, kept.Select(d => d.Id));
        Assert.Equal(1, rejects.Count);
    }

    [Fact]
    public async Task A_jsonl_file_with_a_byte_order_mark_and_crlf_lines_loads_both_records()
    {
        // As .NET's Encoding.UTF8 and Windows tools write it: EF BB BF, then CRLF line ends.
        string path = Path.Combine(RepoPaths.NewTempFolder("llmops-read"), "bom.jsonl");
        await File.WriteAllTextAsync(path, "{\"id\": \"a\", \"text\": \"first\"}\r\n{\"id\": \"b\", \"text\": \"second\"}\r\n", new UTF8Encoding(true));
        Assert.Equal([0xEF, 0xBB, 0xBF], (await File.ReadAllBytesAsync(path))[..3]);

        var documents = DocumentReader.ReadJsonl(path).ToList();

        Assert.Equal([("a", "first"), ("b", "second")], documents.Select(d => (d.Id, d.Text)));
    }

    [Fact]
    public async Task A_byte_order_mark_is_not_part_of_a_csv_header_and_a_bom_inside_a_later_jsonl_line_still_fails()
    {
        string csv = Path.Combine(RepoPaths.NewTempFolder("llmops-read"), "bom.csv");
        await File.WriteAllTextAsync(csv, "id,text\r\n1,hello\r\n", new UTF8Encoding(true));
        Assert.Equal([("1", "hello")], DocumentReader.ReadCsv(csv, new ReadOptions(IdField: "id")).Select(d => (d.Id, d.Text)));

        // Only the file's first bytes are a byte-order mark; elsewhere U+FEFF is text, and here it is not JSON.
        string jsonl = await Write("inner-bom.jsonl", "{\"text\": \"a\"}\n\uFEFF{\"text\": \"b\"}\n");
        var error = Assert.Throws<DataFormatException>(() => DocumentReader.ReadJsonl(jsonl).ToList());
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public async Task An_unclosed_quote_in_the_last_csv_record_is_rejected_and_the_records_before_it_are_kept()
    {
        string path = await Write("truncated.csv", "id,text\n1,first\n2,\"second, fine\"\n3,\"cut off in the mid");
        string rejectsPath = Path.Combine(Path.GetDirectoryName(path)!, "rejects.jsonl");

        List<Document> kept;
        using (var rejects = new RejectsWriter(rejectsPath))
            kept = DocumentReader.ReadCsv(path, new ReadOptions(IdField: "id", OnBadRecord: BadRecordPolicy.Reject, Rejects: rejects)).ToList();

        Assert.Equal(["1", "2"], kept.Select(d => d.Id));
        var rejected = JsonDocument.Parse(Assert.Single(await File.ReadAllLinesAsync(rejectsPath))).RootElement;
        Assert.Equal(4, rejected.GetProperty("line").GetInt64());
        Assert.Contains("quoted field is not closed", rejected.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("3,cut off in the mid", rejected.GetProperty("text").GetString());
        // Without the reject policy the same file still stops with the line.
        Assert.Equal(4, Assert.Throws<DataFormatException>(() => DocumentReader.ReadCsv(path).ToList()).Line);
    }

    [Fact]
    public async Task An_unclosed_quote_is_reported_where_its_record_starts()
    {
        string path = await Write("open.csv", "id,text\n1,ok\n2,\"never closed\n3,x\n");
        var error = Assert.Throws<DataFormatException>(() => DocumentReader.ReadCsv(path).ToList());
        Assert.Equal(3, error.Line);
        Assert.Contains("not closed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_real_catalog_dataset_reads_as_documents()
    {
        var entry = DatasetCatalog.Load(RepoPaths.Path("datasets", "catalog.json")).Find("moby-dick");
        var fetched = await new DatasetFetcher(RepoPaths.NewTempFolder("llmops-datasets")).FetchAsync(entry);

        var chapters = DocumentReader.Read(fetched).ToList();

        Assert.Equal(fetched.DataFiles.Count, chapters.Count);
        var first = chapters.Single(c => c.Id.EndsWith("chapter_1.json", StringComparison.Ordinal));
        Assert.StartsWith("Call me Ishmael", first.Text, StringComparison.Ordinal);
        Assert.Equal("Loomings.", first.Metadata["title"]);
        Assert.All(chapters, c => Assert.Equal("moby-dick", c.Source));
        Assert.True(chapters.Sum(c => c.Text.Length) > 1_000_000, "the whole novel");
    }
}
