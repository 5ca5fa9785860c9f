using LlmOps.Core.Platform;
using LlmOps.Core.Tokenization.Shards;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Tokenization.Shards;

public class TokenDatasetTests
{
    static async Task<(TokenDataset Dataset, int[] Expected, ShardingResult Result)> OpenAsync(string name, int documents = 60, long maxTokens = 10)
    {
        string folder = RepoPaths.NewTempFolder(name);
        var corpus = ShardTestData.Corpus(documents);
        var result = await ShardTestData.ShardAsync(folder, corpus, maxTokens: maxTokens);
        return (TokenDataset.Open(folder), ShardTestData.Expected(corpus), result);
    }

    [Fact]
    public async Task Windows_spanning_shard_boundaries_read_the_right_tokens()
    {
        var (dataset, expected, result) = await OpenAsync("llmops-shards-span");
        using var _ = dataset;

        Assert.Equal(expected.Length, dataset.Count);
        Assert.Equal(expected[7..13], dataset.Read(7, 6)); // shard 0 into shard 1
        Assert.Equal(expected[5..37], dataset.Read(5, 32)); // across three boundaries
        Assert.Equal(expected[10..20], dataset.Read(10, 10)); // exactly one whole shard
        Assert.Equal(expected[^3..], dataset.Read(dataset.Count - 3, 3)); // into the short last shard
        Assert.Equal(expected[29], dataset[29]);
        Assert.Equal(expected[30], dataset[30]);
        Assert.Empty(dataset.Read(dataset.Count, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => dataset.Read(dataset.Count - 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => dataset.Read(-1, 1));
        Assert.True(result.Index.Shards.Count >= 4);
    }

    [Fact]
    public async Task A_truncated_or_missing_shard_is_detected_with_the_file_named()
    {
        string folder = RepoPaths.NewTempFolder("llmops-shards-truncated");
        var result = await ShardTestData.ShardAsync(folder, ShardTestData.Corpus(30), maxTokens: 16);
        string second = Path.Combine(folder, result.Index.Shards[1].File);
        using (var stream = new FileStream(second, FileMode.Open))
            stream.SetLength(stream.Length - 2);

        var error = Assert.Throws<InvalidDataException>(() => TokenDataset.Open(folder));
        Assert.Contains("train-00001.bin", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);

        File.Delete(second);
        var missing = Assert.Throws<FileNotFoundException>(() => TokenDataset.Open(folder));
        Assert.Contains("train-00001.bin", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batches_are_the_same_for_a_seed_and_differ_across_seeds()
    {
        var (dataset, _, _) = await OpenAsync("llmops-shards-seeds");
        using var _ = dataset;
        static List<long[]> Draw(TokenDataset dataset, int seed)
        {
            var sampler = new TokenBatchSampler(dataset, batchSize: 4, blockSize: 8, new SeedScope(seed));
            return [.. Enumerable.Range(0, 5).Select(_ => sampler.Next()).SelectMany(b => new[] { b.Inputs, b.Targets, b.Offsets })];
        }

        var first = Draw(dataset, 1);
        var again = Draw(dataset, 1);
        var other = Draw(dataset, 2);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        // The sampler is the seed scope's data-order stream, so a caller holding that Random gets the same batches.
        var direct = dataset.Batch(4, 8, new SeedScope(1).Random(SeedScope.DataOrder));
        Assert.Equal(first[0], direct.Inputs);
    }

    [Fact]
    public async Task Targets_are_the_inputs_shifted_by_one_and_match_the_corpus()
    {
        var (dataset, expected, _) = await OpenAsync("llmops-shards-targets");
        using var _ = dataset;
        var random = new SeedScope(3).Random(SeedScope.DataOrder);
        const int B = 8, T = 12;

        for (int draw = 0; draw < 20; draw++)
        {
            var batch = dataset.Batch(B, T, random);
            Assert.Equal((B, T, B * T, B * T), (batch.BatchSize, batch.BlockSize, batch.Inputs.Length, batch.Targets.Length));
            for (int b = 0; b < B; b++)
            {
                long offset = batch.Offsets[b];
                Assert.InRange(offset, 0, dataset.Count - T - 1);
                for (int t = 0; t < T; t++)
                {
                    Assert.Equal(expected[offset + t], batch.Inputs[(b * T) + t]);
                    Assert.Equal(expected[offset + t + 1], batch.Targets[(b * T) + t]);
                    if (t + 1 < T)
                        Assert.Equal(batch.Inputs[(b * T) + t + 1], batch.Targets[(b * T) + t]);
                }
            }
        }
    }

    [Fact]
    public async Task Sequential_windows_cover_the_corpus_once_without_overlap()
    {
        var (dataset, expected, _) = await OpenAsync("llmops-shards-sequential");
        using var _ = dataset;
        const int B = 3, T = 7;

        var batches = dataset.Sequential(B, T).ToList();

        long windows = (expected.Length - 1) / T;
        Assert.Equal(windows, dataset.WindowCount(T));
        Assert.Equal(windows, batches.Sum(b => b.BatchSize));
        Assert.Equal((int)(windows % B == 0 ? B : windows % B), batches[^1].BatchSize);
        Assert.Equal(Enumerable.Range(0, (int)windows).Select(w => (long)w * T), batches.SelectMany(b => b.Offsets));
        var inputs = batches.SelectMany(b => b.Inputs).ToArray();
        var targets = batches.SelectMany(b => b.Targets).ToArray();
        Assert.Equal(expected[..(int)(windows * T)].Select(id => (long)id), inputs);
        Assert.Equal(expected[1..(int)((windows * T) + 1)].Select(id => (long)id), targets);
        Assert.Equal(batches.SelectMany(b => b.Inputs), dataset.Sequential(B, T).SelectMany(b => b.Inputs));
    }

    [Fact]
    public async Task A_corpus_shorter_than_a_window_and_reads_after_dispose_fail_clearly()
    {
        var (dataset, expected, _) = await OpenAsync("llmops-shards-short", documents: 2);

        Assert.Throws<ArgumentOutOfRangeException>(() => dataset.Batch(1, expected.Length, new Random(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenBatchSampler(dataset, 1, expected.Length, new SeedScope(1)));
        dataset.Dispose();
        Assert.Throws<ObjectDisposedException>(() => dataset.Read(0, 1));
    }
}
