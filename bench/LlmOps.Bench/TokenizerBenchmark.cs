using System.Diagnostics;
using System.Text;
using System.Text.Json;
using LlmOps.Core.Data;
using LlmOps.Core.Datasets;
using LlmOps.Core.Tokenization;
using Microsoft.ML.Tokenizers;

namespace LlmOps.Bench;

/// <summary>
/// Encode throughput of ML.Tokenizers' tiktoken encodings (one thread, and all cores over documents) against npm
/// <c>tiktoken</c> (WASM) and <c>js-tiktoken</c> on the same documents in the same run, with every implementation's ids
/// checked against ML.Tokenizers' per document.
/// </summary>
static class TokenizerBenchmark
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        int repeats = options.Int("repeat", 2);
        int threads = options.Int("threads", Environment.ProcessorCount);
        string datasetName = options.String("dataset", "spam-assassin");
        string peer = options.String("peer", Path.Combine("bench", "tokenizer", "peer.js"));
        string[] encodings = options.String("encodings", string.Join(",", TokenizerFactory.Encodings)).Split(',', StringSplitOptions.RemoveEmptyEntries);

        var entry = DatasetCatalog.Default().Find(datasetName);
        var dataset = await new DatasetFetcher(DatasetFetcher.DefaultCacheRoot()).FetchAsync(entry);
        string[] documents = [.. DocumentReader.Read(dataset, new ReadOptions(Source: datasetName)).Select(d => d.Text).Where(t => t.Length > 0)];
        double megabytes = documents.Sum(d => (long)Encoding.UTF8.GetByteCount(d)) / 1e6;
        Print($"tokenizer benchmark: {datasetName}, {documents.Length} documents, {megabytes:F1} MB of UTF-8 text; best of {repeats}; {threads} threads for the parallel rows");

        // The peer reads exactly these strings: one JSON string per line.
        string corpus = Path.Combine(Path.GetTempPath(), $"llmops-tokenizer-bench-{Environment.ProcessId}.jsonl");
        await File.WriteAllLinesAsync(corpus, documents.Select(d => JsonSerializer.Serialize(d)));
        try
        {
            var rows = new List<(string Encoding, string Name, double Seconds, long Tokens, uint[] Hashes)>();
            foreach (string encoding in encodings)
            {
                var bare = TiktokenTokenizer.CreateForEncoding(encoding);
                var wrapped = TokenizerFactory.ForEncoding(encoding);
                rows.Add(Measure(encoding, "ML.Tokenizers, 1 thread", repeats, documents, d => Sequential(wrapped, d)));
                rows.Add(Measure(encoding, $"ML.Tokenizers, {threads} threads", repeats, documents, d => Parallel(wrapped, d, threads)));
                rows.Add(Measure(encoding, "ML.Tokenizers bare (no wrapper), 1 thread", repeats, documents, d => Sequential(bare, d)));
            }

            var peers = RunPeer(peer, corpus, repeats, encodings);
            Print("");
            Print($"{"encoding",-12} {"implementation",-42} {"MB/s",7} {"vs tiktoken",12} {"tokens",11} {"id mismatches",14}");
            int mismatches = 0;
            foreach (string encoding in encodings)
            {
                var reference = rows.First(r => r.Encoding == encoding);
                var encodingRows = rows.Where(r => r.Encoding == encoding).ToList();
                foreach (var (name, result) in peers[encoding])
                    encodingRows.Add((encoding, $"npm {name}, 1 thread", result.Seconds, result.Tokens, result.Hashes));
                double tiktokenSeconds = peers[encoding]["tiktoken"].Seconds;
                foreach (var row in encodingRows)
                {
                    int differ = Enumerable.Range(0, documents.Length).Count(i => row.Hashes[i] != reference.Hashes[i]);
                    if (!row.Name.Contains("bare", StringComparison.Ordinal))
                        mismatches += differ;
                    Print($"{encoding,-12} {row.Name,-42} {megabytes / row.Seconds,7:F2} {tiktokenSeconds / row.Seconds,11:F2}x {row.Tokens,11} {differ,14}");
                }
            }
            Print($"id mismatches against ML.Tokenizers (documents, all implementations but the bare row): {mismatches}");
            Print("rerun: bash bench/tokenizer/run.sh [--repeat N] [--threads N] [--encodings o200k_base,cl100k_base] [--dataset NAME]");
            return mismatches == 0 ? 0 : 1;
        }
        finally
        {
            File.Delete(corpus);
        }
    }

    static int[][] Sequential(Tokenizer tokenizer, string[] documents) => [.. documents.Select(d => tokenizer.EncodeToIds(d).ToArray())];

    static int[][] Parallel(Tokenizer tokenizer, string[] documents, int threads)
    {
        var ids = new int[documents.Length][];
        System.Threading.Tasks.Parallel.ForEach(Enumerable.Range(0, documents.Length), new ParallelOptions { MaxDegreeOfParallelism = threads },
            i => ids[i] = tokenizer.EncodeToIds(documents[i]).ToArray());
        return ids;
    }

    static (string, string, double, long, uint[]) Measure(string encoding, string name, int repeats, string[] documents, Func<string[], int[][]> encode)
    {
        encode(documents[..Math.Min(200, documents.Length)]); // warm-up: JIT and the encode cache's first entries
        double best = double.MaxValue;
        int[][] ids = [];
        for (int r = 0; r < Math.Max(1, repeats); r++)
        {
            long start = Stopwatch.GetTimestamp();
            ids = encode(documents);
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return (encoding, name, best, ids.Sum(x => (long)x.Length), [.. ids.Select(Hash)]);
    }

    /// <summary>FNV-1a over the ids as 32-bit values; the peer script computes the same.</summary>
    static uint Hash(int[] ids)
    {
        uint hash = 2166136261;
        foreach (int id in ids)
            hash = unchecked((hash ^ (uint)id) * 16777619);
        return hash;
    }

    static readonly JsonSerializerOptions PeerJson = new() { PropertyNameCaseInsensitive = true };

    sealed record PeerResult(double Seconds, long Tokens, uint[] Hashes);

    static Dictionary<string, Dictionary<string, PeerResult>> RunPeer(string script, string corpus, int repeats, string[] encodings)
    {
        if (!File.Exists(script))
            throw new ArgumentException($"peer script {script} not found (run from the repository root, or pass --peer)");
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in new[] { script, corpus, repeats.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Concat(encodings))
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        string json = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"node {script} exited with {process.ExitCode} (npm packages installed? bash bench/tokenizer/run.sh installs them)");
        return JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, PeerResult>>>(json, PeerJson)
            ?? throw new InvalidOperationException("the peer printed no results");
    }

    static void Print(string line) => Console.WriteLine(line);
}
