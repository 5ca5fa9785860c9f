using LlmOps.Core.Data;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Data;

public class DataManifestTests
{
    [Fact]
    public void The_id_depends_on_content_not_time_and_a_saved_manifest_loads_back_checked()
    {
        string folder = RepoPaths.NewTempFolder("llmops-manifest");
        string input = Path.Combine(folder, "in.jsonl");
        File.WriteAllText(input, "{\"text\": \"a\"}\n");
        string output = Path.Combine(folder, "out.jsonl");
        DocumentWriter.WriteJsonl(output, [new Document("1", "a", "web", new Dictionary<string, string> { ["lang"] = "en" })]);

        var first = DataManifest.Create("clean", [ManifestFile.Of(input, 1)], new { threshold = 0.8 },
            [new ManifestStep("quality", 1, 1, 0, new Dictionary<string, long>())], [ManifestFile.Of(output, 1)]);
        var second = DataManifest.Create("clean", [ManifestFile.Of(input, 1)], new { threshold = 0.8 },
            [new ManifestStep("quality", 1, 1, 0, new Dictionary<string, long>())], [ManifestFile.Of(output, 1)]);
        var other = DataManifest.Create("clean", [ManifestFile.Of(input, 1)], new { threshold = 0.7 },
            [new ManifestStep("quality", 1, 1, 0, new Dictionary<string, long>())], [ManifestFile.Of(output, 1)]);

        Assert.Matches("^[0-9a-f]{16}$", first.Id);
        Assert.Equal(first.Id, second.Id);
        Assert.NotEqual(first.Id, other.Id);
        string path = Path.Combine(folder, DataManifest.FileName);
        first.Save(path);
        var loaded = DataManifest.Load(path);
        Assert.Equal(first.Id, loaded.Id);
        Assert.Empty(loaded.ChangedOutputs());

        File.AppendAllText(output, "{}\n");
        Assert.Equal([output], loaded.ChangedOutputs());
        File.WriteAllText(path, File.ReadAllText(path).Replace("0.8", "0.9", StringComparison.Ordinal));
        var error = Assert.Throws<InvalidDataException>(() => DataManifest.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("edited", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_hash_covers_every_file_and_its_name()
    {
        string folder = RepoPaths.NewTempFolder("llmops-manifest-folder");
        File.WriteAllText(Path.Combine(folder, "a.txt"), "one");
        Directory.CreateDirectory(Path.Combine(folder, "sub"));
        File.WriteAllText(Path.Combine(folder, "sub", "b.txt"), "two");

        var before = ManifestFile.Of(folder);
        File.Move(Path.Combine(folder, "a.txt"), Path.Combine(folder, "c.txt"));
        var renamed = ManifestFile.Of(folder);

        Assert.Equal((2, 6L), (before.Files, before.Bytes));
        Assert.NotEqual(before.Sha256, renamed.Sha256);
        Assert.Throws<FileNotFoundException>(() => ManifestFile.Of(Path.Combine(folder, "missing")));
    }

    [Fact]
    public void Written_jsonl_reads_back_with_ids_text_and_metadata()
    {
        string path = Path.Combine(RepoPaths.NewTempFolder("llmops-writer"), "docs.jsonl");
        Document[] documents = [new("x1", "line one\nline \"two\" ünïcode", "web", new Dictionary<string, string> { ["lang"] = "en" }), new("x2", "", "web")];

        Assert.Equal(2, DocumentWriter.WriteJsonl(path, documents));
        var back = DocumentReader.ReadJsonl(path).ToList();

        Assert.Equal(documents.Select(d => (d.Id, d.Text, d.Source)), back.Select(d => (d.Id, d.Text, d.Source)));
        Assert.Equal("en", back[0].Metadata["lang"]);
    }
}
