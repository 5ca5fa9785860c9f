using System.Text;
using LlmOps.Core.Data;
using LlmOps.Core.Datasets;
using LlmOps.Core.Display;
using LlmOps.Core.Modeling;
using LlmOps.Core.Platform;
using LlmOps.Core.Tokenization.Shards;
using LlmOps.Core.Training;
using TorchSharp;

namespace LlmOps.Bench;

/// <summary>
/// Pretraining throughput of nanoGPT's baby GPT (4 layers, 4 heads, 128 wide, context 64) on a byte-level corpus:
/// steps/s, tokens/s and MFU against the fp32 matmul rate measured in the same run, once with fp32 passes and once
/// with bf16 passes (fp32 master weights), so the ratio says whether bf16 helps on this machine.
/// </summary>
static class PretrainBenchmark
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        string datasetName = options.String("dataset", "sotu");
        int steps = options.Int("steps", 60);
        int batch = options.Int("batch", 12);
        int block = options.Int("block", 64);
        string device = options.String("device", "cpu");
        int repeats = options.Int("repeat", 3);
        var entry = DatasetCatalog.Default().Find(datasetName);
        var dataset = await new DatasetFetcher(DatasetFetcher.DefaultCacheRoot()).FetchAsync(entry);
        List<Document> documents = [.. DocumentReader.Read(dataset, new ReadOptions(Source: datasetName))];
        string work = Path.Combine(Path.GetTempPath(), $"llmops-bench-pretrain-{Environment.ProcessId}");
        var encoder = new ShardEncoder("bytes", text => [.. Encoding.UTF8.GetBytes(text).Select(b => (int)b)], 257, 256);
        using (DisplayHook.Use(new ConsoleDisplaySink(TextWriter.Null)))
        {
            await TokenSharder.ShardAsync(documents.Skip(10), encoder, new ShardingOptions(Path.Combine(work, "train")));
            await TokenSharder.ShardAsync(documents.Take(10), encoder, new ShardingOptions(Path.Combine(work, "val"), Prefix: "val"));
        }
        var selection = DeviceSelector.Select(device);
        var peak = MatmulMeasurement.Measure(selection.ToTorch(), minSeconds: 1.0);
        var model = GptConfig.Baby(257) with { BlockSize = block };
        Console.WriteLine($"pretrain benchmark: {datasetName} bytes, baby GPT {model.Layers}L/{model.Heads}H/{model.EmbeddingSize}E ctx {block}, " +
                          $"batch {batch}, {steps} steps, best of {repeats}, {selection.Name}, {torch.get_num_threads()} threads; fp32 matmul {peak.GFlops:F1} GFLOP/s");
        Console.WriteLine();
        Console.WriteLine($"{"precision",-9} {"steps/s",8} {"tokens/s",9} {"MFU",6} {"first loss",11} {"last loss",10} {"val loss",9}");
        var precisions = new[] { MixedPrecision.Fp32, MixedPrecision.Bf16 };
        PretrainResult Train(MixedPrecision precision, int maxSteps, string name)
        {
            var config = new PretrainConfig(model, Path.Combine(work, "train"), Path.Combine(work, "val"), Path.Combine(work, name),
                BatchSize: batch, MaxSteps: maxSteps, WarmupSteps: 10, EvalEvery: maxSteps, EvalBatches: 4, CheckpointEvery: maxSteps, KeepLast: 1,
                Device: device, Precision: precision, PeakFlopsPerSecond: peak.GFlops * 1e9);
            using (DisplayHook.Use(new ConsoleDisplaySink(TextWriter.Null)))
                return Pretrainer.Run(config);
        }
        long tokensPerStep = (long)batch * block;
        try
        {
            foreach (var precision in precisions)
                Train(precision, 5, $"warmup-{precision}"); // libtorch's first kernels, oneDNN's JIT, the allocator
            // Alternate the precisions and keep each one's best run: the steady-state steps (after the first five) only.
            var best = precisions.ToDictionary(p => p, _ => (TokensPerSecond: 0.0, Result: (PretrainResult?)null));
            for (int r = 0; r < repeats; r++)
            {
                foreach (var precision in precisions)
                {
                    var result = Train(precision, steps, $"out-{precision}-{r}");
                    var steady = result.Train.Skip(Math.Min(5, result.Train.Count - 1)).ToList();
                    double tokensPerSecond = steady.Count * tokensPerStep / steady.Sum(s => tokensPerStep / s.TokensPerSecond);
                    if (tokensPerSecond > best[precision].TokensPerSecond)
                        best[precision] = (tokensPerSecond, result);
                }
            }
            double fp32 = best[MixedPrecision.Fp32].TokensPerSecond;
            foreach (var precision in precisions)
            {
                var (tokensPerSecond, result) = best[precision];
                double mfu = result!.Train[^1].Mfu / result.Train[^1].TokensPerSecond * tokensPerSecond;
                Console.WriteLine($"{precision,-9} {tokensPerSecond / tokensPerStep,8:F2} {tokensPerSecond,9:F0} {100 * mfu,5:F1}% " +
                                  $"{result.Train[0].Loss,11:F4} {result.FinalTrainLoss,10:F4} {result.FinalValidationLoss,9:F4}   {tokensPerSecond / fp32:F2}x fp32");
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
        return 0;
    }
}
