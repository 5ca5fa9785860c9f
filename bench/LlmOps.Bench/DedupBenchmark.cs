using System.Diagnostics;
using System.Text;
using LlmOps.Core.Data;
using LlmOps.Core.Data.Cleaning;
using LlmOps.Core.Data.Dedup;
using LlmOps.Core.Datasets;
using LlmOps.Core.Platform;

namespace LlmOps.Bench;

/// <summary>
/// The dedup benchmark on a real corpus: throughput of MinHash near-dedup (streaming on one thread, batch on all)
/// against exact dedup measured in the same run, then quality against brute-force ground truth on a seeded sample.
/// </summary>
static class DedupBenchmark
{
    /// <summary>text-dedup's published MinHash result on pinecone/core-2020-05-10-deduplication (benchmarks README).</summary>
    /// <summary>Half-width of the band around the threshold that the gray-zone row leaves out.</summary>
    const double GrayZone = 0.05;

    const string Reference = "text-dedup MinHash on pinecone/core-2020-05-10-deduplication: F1 ~0.95 (duplicates: P 0.959, R 0.945)";

    public static async Task<int> RunAsync(BenchOptions options)
    {
        // The whole corpus by default: a 2000-document sample holds only ~15 pairs at J >= 0.8, too few for a stable F1,
        // and the size bound keeps brute force over all ~18 M pairs within seconds.
        int sampleSize = options.Int("sample", int.MaxValue);
        int seed = options.Int("seed", 1);
        int threads = options.Int("threads", Environment.ProcessorCount);
        int repeats = options.Int("repeat", 2);
        string datasetName = options.String("dataset", "spam-assassin");
        var config = new MinHashConfig();

        var documents = await LoadAsync(datasetName);
        double megabytes = documents.Sum(d => (long)Encoding.UTF8.GetByteCount(d.Text)) / 1e6;
        Print($"dedup benchmark: {datasetName}, {documents.Count} documents, {megabytes:F1} MB of text; {threads} threads for batch; " +
              $"MinHash {config.ShingleSize}-word shingles, {config.Bands}x{config.RowsPerBand} hashes, threshold {config.Threshold}, seed {config.Seed}");

        // Warm-up: JIT every path once on a slice, so the timed runs measure steady-state code.
        var warmUp = documents.Take(300).ToList();
        Stream(new ExactDedup(), warmUp);
        Stream(new NearDedup(config), warmUp);
        new NearDedup(config).ApplyBatch(warmUp, threads);
        Stream(new LineDedup(), warmUp);

        var exact = Timing.Best(repeats, () => Stream(new ExactDedup(), documents));
        var streaming = Timing.Best(repeats, () => Stream(new NearDedup(config), documents));
        var batch = Timing.Best(repeats, () =>
        {
            var decisions = new NearDedup(config).ApplyBatch(documents, threads);
            return decisions.Select(d => d.Detail).ToList();
        });
        var lines = Timing.Best(repeats, () => Stream(new LineDedup(), documents));
        bool identical = streaming.Result.SequenceEqual(batch.Result);

        Print("");
        Print($"{"throughput (best of " + repeats + ")",-34} {"MB/s",8} {"docs/s",9} {"vs exact",9} {"removed",8}");
        Row("exact-dedup (peer)", exact.Seconds, exact.Result);
        Row("near-dedup streaming, 1 thread", streaming.Seconds, streaming.Result);
        Row($"near-dedup batch, {threads} threads", batch.Seconds, batch.Result);
        Row("line-dedup, 1 thread", lines.Seconds, lines.Result);
        int exactRemoved = Removed(exact.Result), nearRemoved = Removed(streaming.Result);
        Print($"near-duplicate rate: {nearRemoved} of {documents.Count} documents ({100.0 * nearRemoved / documents.Count:F1}%) removed by near-dedup, " +
              $"{exactRemoved} ({100.0 * exactRemoved / documents.Count:F1}%) by exact dedup; streaming and batch decisions identical: {(identical ? "yes" : "NO")}");

        Quality(documents, config, sampleSize, seed, threads);
        Print($"reference: {Reference}");
        Print("rerun: bash bench/dedup/run.sh [--sample N] [--seed N] [--threads N] [--repeat N]");
        return identical ? 0 : 1;

        void Row(string name, double seconds, List<string?> result) =>
            Print($"{name,-34} {megabytes / seconds,8:F1} {documents.Count / seconds,9:F0} {exact.Seconds / seconds,8:F2}x {Removed(result),8}");
    }

    /// <summary>Quality on a seeded sample: every pair's exact Jaccard over the same shingles is the ground truth;
    /// the prediction is the LSH candidate pairs that pass verification (every document indexed, as a pair finder).</summary>
    static void Quality(List<Document> documents, MinHashConfig config, int sampleSize, int seed, int threads)
    {
        var sample = new SeedScope(seed).Shuffle(documents, "dedup-sample").Take(sampleSize).ToList();
        var hasher = new MinHasher(config);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
        var shingles = new ulong[sample.Count][];
        var signatures = new ulong[sample.Count][];
        Parallel.For(0, sample.Count, parallel, i =>
        {
            shingles[i] = hasher.Shingles(sample[i].Text);
            signatures[i] = hasher.Signature(sample[i].Text);
        });

        // Brute force over all pairs. J(A,B) <= min(|A|,|B|) / max(|A|,|B|), so a pair whose sizes differ more than
        // that cannot reach the threshold: skipping it changes no answer, it only saves the merge.
        long start = Stopwatch.GetTimestamp();
        var truthByRow = new List<(int, int, double)>[sample.Count];
        long[] computedByRow = new long[sample.Count];
        Parallel.For(0, sample.Count, parallel, j =>
        {
            var found = new List<(int, int, double)>();
            for (int i = 0; i < j; i++)
            {
                int small = Math.Min(shingles[i].Length, shingles[j].Length), large = Math.Max(shingles[i].Length, shingles[j].Length);
                if (small < config.Threshold * large)
                    continue;
                computedByRow[j]++;
                double jaccard = MinHasher.Jaccard(shingles[i], shingles[j]);
                if (jaccard >= config.Threshold - GrayZone)
                    found.Add((i, j, jaccard));
            }
            truthByRow[j] = found;
        });
        // Every pair at or above threshold - gray zone, with its exact value; the strict truth is those at the threshold.
        var near = truthByRow.SelectMany(row => row).ToDictionary(p => (p.Item1, p.Item2), p => p.Item3);
        var truth = near.Where(p => p.Value >= config.Threshold).Select(p => p.Key).ToHashSet();
        double bruteSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;

        var index = new LshIndex(config.Bands, config.RowsPerBand);
        var predicted = new HashSet<(int, int)>();
        var predictedExact = new HashSet<(int, int)>();
        long candidatePairs = 0;
        double errorSum = 0;
        for (int j = 0; j < sample.Count; j++)
        {
            foreach (int i in index.Candidates(signatures[j]))
            {
                candidatePairs++;
                double estimate = MinHasher.EstimatedJaccard(signatures[i], signatures[j]);
                double exactJaccard = MinHasher.Jaccard(shingles[i], shingles[j]);
                errorSum += Math.Abs(estimate - exactJaccard);
                if (estimate >= config.Threshold)
                    predicted.Add((i, j));
                if (exactJaccard >= config.Threshold)
                    predictedExact.Add((i, j));
            }
            index.Insert(j, signatures[j]);
        }

        // Per document, as the step uses it: removed by NearDedup vs "has an earlier document at J >= threshold".
        var removed = new NearDedup(config).ApplyBatch(sample, threads).Select(d => d.Removed).ToArray();
        var hasEarlierTwin = new bool[sample.Count];
        foreach (var (_, j) in truth)
            hasEarlierTwin[j] = true;
        int docTrue = hasEarlierTwin.Count(x => x), docPredicted = removed.Count(x => x);
        int docCorrect = Enumerable.Range(0, sample.Count).Count(k => removed[k] && hasEarlierTwin[k]);

        long allPairs = (long)sample.Count * (sample.Count - 1) / 2;
        Print("");
        Print($"quality on a {sample.Count}-document sample (seed {seed}); ground truth: exact Jaccard >= {config.Threshold} over the same shingles");
        Print($"brute force: {allPairs:N0} pairs, {computedByRow.Sum():N0} merged (the rest fail the size bound), {bruteSeconds:F1} s; " +
              $"LSH candidates: {candidatePairs:N0} pairs, mean |estimate - exact| {(candidatePairs == 0 ? 0 : errorSum / candidatePairs):F3}");
        Print($"{"",-34} {"true",8} {"found",8} {"correct",8} {"precision",10} {"recall",8} {"F1",7}");
        Metrics("pairs (LSH + estimate check)", truth.Count, predicted.Count, predicted.Count(truth.Contains));
        Metrics("pairs (LSH + exact check, default)", truth.Count, predictedExact.Count, predictedExact.Count(truth.Contains));
        // Pairs within the gray zone either side of the threshold are neither required nor wrong: a 112-hash estimate
        // has a standard error of ~0.04 there, so they measure the estimator's noise, not whether clear duplicates are found.
        var clearTruth = near.Where(p => p.Value >= config.Threshold + GrayZone).Select(p => p.Key).ToHashSet();
        var clearFound = predicted.Where(p => near.GetValueOrDefault(p) is var j && (j >= config.Threshold + GrayZone || j < config.Threshold - GrayZone)).ToList();
        Metrics($"pairs, gray zone {config.Threshold - GrayZone:F2}-{config.Threshold + GrayZone:F2} out", clearTruth.Count, clearFound.Count, clearFound.Count(clearTruth.Contains));
        Metrics("documents (near-dedup removes)", docTrue, docPredicted, docCorrect);
    }

    static void Metrics(string name, int truth, int found, int correct)
    {
        double precision = found == 0 ? 1 : (double)correct / found;
        double recall = truth == 0 ? 1 : (double)correct / truth;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        Print($"{name,-34} {truth,8} {found,8} {correct,8} {precision,10:F3} {recall,8:F3} {f1,7:F3}");
    }

    /// <summary>The corpus as the data stage reads it: each email decoded (MIME, charsets) into subject and body, ids
    /// the path under data/, in file order.</summary>
    static async Task<List<Document>> LoadAsync(string name)
    {
        var entry = DatasetCatalog.Default().Find(name);
        var dataset = await new DatasetFetcher(DatasetFetcher.DefaultCacheRoot()).FetchAsync(entry);
        List<Document> documents = [.. DocumentReader.Read(dataset, new ReadOptions(Source: name))];
        return documents.Count > 0 ? documents : throw new InvalidOperationException($"{name} has no documents in {dataset.Folder}.");
    }

    /// <summary>Runs a step over the documents as the pipeline does; each entry is the removal detail or null.</summary>
    static List<string?> Stream(ICleaningStep step, List<Document> documents)
    {
        var details = new List<string?>(documents.Count);
        foreach (var document in documents)
        {
            var recorder = new StepRecorder();
            details.Add(step.Apply(document, recorder) is null ? recorder.Detail : null);
        }
        return details;
    }

    static int Removed(List<string?> details) => details.Count(d => d is not null);


    static void Print(string line) => Console.WriteLine(line);
}
