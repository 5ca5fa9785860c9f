using System.Text;
using LlmOps.Core.Data;
using LlmOps.Core.Datasets;
using LlmOps.Core.Display;
using LlmOps.Core.Platform;
using LlmOps.Core.Tokenization.Shards;
using Microsoft.ML.Tokenizers;

namespace LlmOps.Bench;

/// <summary>
/// Token sharding on a real corpus: the full JSONL -> shards run (read, parallel encode, ordered write, hashes, index,
/// manifest) against encoding alone on the same threads, measured in the same run, so the ratio is the sharding
/// overhead. Two encoders: o200k_base (vocab 200,019, uint32 shards) and a byte-level one (vocab 257, uint16 shards),
/// which costs almost nothing to encode and so shows the writer's own ceiling. Then a read-back pass over the shards.
/// </summary>
static class ShardBenchmark
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        string datasetName = options.String("dataset", "sotu");
        int threads = options.Int("threads", Environment.ProcessorCount);
        int repeats = options.Int("repeat", 2);
        var entry = DatasetCatalog.Default().Find(datasetName);
        var dataset = await new DatasetFetcher(DatasetFetcher.DefaultCacheRoot()).FetchAsync(entry);
        List<Document> documents = [.. DocumentReader.Read(dataset, new ReadOptions(Source: datasetName))];
        string work = Path.Combine(Path.GetTempPath(), $"llmops-bench-shards-{Environment.ProcessId}");
        string jsonl = Path.Combine(work, "train.jsonl");
        DocumentWriter.WriteJsonl(jsonl, documents);
        double megabytes = documents.Sum(d => (long)Encoding.UTF8.GetByteCount(d.Text)) / 1e6;
        Console.WriteLine($"shard benchmark: {datasetName}, {documents.Count} documents, {megabytes:F1} MB of text, {threads} threads, best of {repeats}");

        var o200k = TiktokenTokenizer.CreateForModel("gpt-4o");
        var encoders = new[]
        {
            new ShardEncoder("o200k_base", text => [.. o200k.EncodeToIds(text)], o200k.SpecialTokens!.Values.Max() + 1, o200k.SpecialTokens["<|endoftext|>"]),
            new ShardEncoder("bytes", text => [.. Encoding.UTF8.GetBytes(text).Select(b => (int)b)], 257, 256),
        };
        Console.WriteLine();
        Console.WriteLine($"{"encoder",-11} {"dtype",6} {"tokens",11} {"B/token",8} {"shard MB/s",11} {"Mtok/s",7} {"encode-only MB/s",17} {"ratio",6} {"read Mtok/s",12}");
        try
        {
            foreach (var encoder in encoders)
            {
                var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
                EncodeOnly(documents.Take(50).ToList(), encoder, parallel); // warm-up: JIT and the tokenizer's caches
                var (encodeSeconds, _) = Timing.Best(repeats, () => EncodeOnly(documents, encoder, parallel));
                ShardingResult? best = null;
                for (int i = 0; i < Math.Max(1, repeats); i++)
                {
                    using var _ = DisplayHook.Use(new ConsoleDisplaySink(TextWriter.Null));
                    var result = await TokenSharder.ShardJsonlAsync([jsonl], encoder,
                        new ShardingOptions(Path.Combine(work, encoder.Name), MaxDegreeOfParallelism: threads));
                    if (best is null || result.ElapsedSeconds < best.ElapsedSeconds)
                        best = result;
                }
                var (readSeconds, checksum) = Timing.Best(repeats, () => ReadAll(Path.Combine(work, encoder.Name)));
                double encodeMbps = megabytes / encodeSeconds;
                Console.WriteLine($"{encoder.Name,-11} {best!.Index.DType,6} {best.Tokens,11} {best.BytesPerToken,8:F2} {best.MegabytesPerSecond,11:F1} " +
                                  $"{best.TokensPerSecond / 1e6,7:F2} {encodeMbps,17:F1} {best.MegabytesPerSecond / encodeMbps,5:F2}x {best.Tokens / readSeconds / 1e6,12:F1}");
                GC.KeepAlive(checksum);
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
        Console.WriteLine();
        Console.WriteLine("shard MB/s: JSONL read + encode + write + SHA-256 + index + manifest; encode-only: Parallel.For over documents in memory;");
        Console.WriteLine("ratio: shard / encode-only (1.0x = sharding adds nothing); read: sequential windows of 1024 through the memory maps.");
        return 0;
    }

    static long EncodeOnly(List<Document> documents, ShardEncoder encoder, ParallelOptions parallel)
    {
        long tokens = 0;
        Parallel.For(0, documents.Count, parallel, i => Interlocked.Add(ref tokens, encoder.Encode(documents[i].Text).Length));
        return tokens;
    }

    static long ReadAll(string folder)
    {
        using var dataset = TokenDataset.Open(folder);
        long sum = 0;
        foreach (var batch in dataset.Sequential(16, 1024))
            sum += batch.Inputs[^1];
        return sum;
    }

}
