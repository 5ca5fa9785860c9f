using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
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
/// Pretraining throughput on a byte-level corpus for two shapes, nanoGPT's CPU "baby" GPT (4 layers, 4 heads, 128 wide,
/// context 64, batch 12) and its shakespeare-char shape (6/6/384, context 256; no dropout here): tokens/s and MFU
/// against the fp32 matmul rate measured in the same process, for our <see cref="Pretrainer"/> with fp32 passes and
/// with bf16 passes (fp32 master weights), and for the same architecture and step written in PyTorch
/// (<c>bench/pretrain/peer_pytorch.py</c>, Debian's python3-torch), run as a child process in the same run on the same
/// number of threads, which measures its own matmul peak the same way.
/// </summary>
static class PretrainBenchmark
{
    /// <summary>One benchmarked shape and how long to time it.</summary>
    sealed record Shape(string Name, GptConfig Model, int Batch, int Steps, int Rounds, int Skip)
    {
        public long TokensPerStep => (long)Batch * Model.BlockSize;
    }

    /// <summary>One timed run of the PyTorch peer (one JSON line in serve mode).</summary>
    sealed record PeerRun(double PeakGflops, double[] StepSeconds, double[] Losses, double FlopsPerToken, int Threads, string Torch);

    /// <summary>The timed steps of one implementation on one shape, gathered over the rounds.</summary>
    sealed class Samples(string implementation)
    {
        public string Implementation { get; } = implementation;
        public List<double> StepSeconds { get; } = [];
        public List<double> RunTokensPerSecond { get; } = [];
        public double PeakGFlops { get; set; }
        public double FlopsPerToken { get; set; }
        public double FirstLoss { get; set; } = double.NaN;
        public double LastLoss { get; set; } = double.NaN;

        public void Add(double[] seconds, int skip, long tokensPerStep, double peak, double flopsPerToken, double firstLoss, double lastLoss)
        {
            var steady = seconds.Skip(Math.Min(skip, seconds.Length - 1)).ToList();
            StepSeconds.AddRange(steady);
            RunTokensPerSecond.Add(steady.Count * tokensPerStep / steady.Sum());
            PeakGFlops = Math.Max(PeakGFlops, peak);
            FlopsPerToken = flopsPerToken;
            FirstLoss = firstLoss;
            LastLoss = lastLoss;
        }

        /// <summary>Tokens/s at the median step time: robust to the steps another tenant of the machine slowed down.</summary>
        public double TokensPerSecond(long tokensPerStep)
        {
            var sorted = StepSeconds.Order().ToList();
            double median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
            return tokensPerStep / median;
        }
    }

    static readonly JsonSerializerOptions PeerJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static async Task<int> RunAsync(BenchOptions options)
    {
        string datasetName = options.String("dataset", "sotu");
        string device = options.String("device", "cpu");
        string[] shapeNames = options.String("configs", "baby,small").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var precisions = options.String("precisions", "fp32,bf16").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => Enum.Parse<MixedPrecision>(p, ignoreCase: true)).ToArray();
        string peerScript = options.String("peer", "bench/pretrain/peer_pytorch.py");
        string python = options.String("python", "/usr/bin/python3");
        string peerEnv = options.String("peer-env", "tuned");
        int matmulSize = options.Int("matmul-size", 2048);
        double matmulSeconds = 0.5;
        var shapes = new List<Shape>();
        foreach (string name in shapeNames)
        {
            shapes.Add(name switch
            {
                "baby" => new Shape("baby", GptConfig.Baby(257), options.Int("baby-batch", 12), options.Int("baby-steps", 30), options.Int("baby-rounds", 3), 5),
                "small" => new Shape("small", GptConfig.Small(257) with { Dropout = 0 }, options.Int("small-batch", 8), options.Int("small-steps", 7),
                    options.Int("small-rounds", 3), 2),
                _ => throw new ArgumentException($"--configs: unknown shape '{name}' (baby, small)"),
            });
        }

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
        // The peer draws its random windows from the same training text, as raw bytes.
        string peerData = Path.Combine(work, "train.bytes");
        using (var file = File.Create(peerData))
        {
            foreach (var document in documents.Skip(10))
                file.Write(Encoding.UTF8.GetBytes(document.Text));
        }

        var selection = DeviceSelector.Select(device);
        int threads = torch.get_num_threads();
        bool havePeer = File.Exists(python) && File.Exists(peerScript);
        Console.WriteLine($"pretrain benchmark: {datasetName} bytes (vocab 257), {selection.Name}, {threads} threads, " +
                          $"OMP_WAIT_POLICY={Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "(unset)"}; " +
                          $"each implementation's MFU is against the fp32 {matmulSize}^3 matmul rate measured in its own process before each of its runs (best kept)");
        foreach (var shape in shapes)
        {
            Console.WriteLine($"  {shape.Name}: {shape.Model.Layers}L/{shape.Model.Heads}H/{shape.Model.EmbeddingSize}E ctx {shape.Model.BlockSize}, batch {shape.Batch}, " +
                              $"{shape.Rounds} rounds of (ours {string.Join(", ", precisions)}, PyTorch) x {shape.Steps} steps, the first {shape.Skip} of each run untimed, after a warm-up run of each");
        }
        if (!havePeer)
            Console.WriteLine($"  no PyTorch peer: {python} or {peerScript} is missing (bench/pretrain/run.sh installs python3-torch)");
        Console.WriteLine();

        var table = new List<(Shape Shape, Samples Samples)>();
        try
        {
            foreach (var shape in shapes)
            {
                foreach (var samples in RunShape(shape, precisions, work, device, selection.ToTorch(), matmulSize, matmulSeconds,
                             havePeer ? (python, peerScript, peerEnv, peerData, threads) : null))
                    table.Add((shape, samples));
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        Console.WriteLine($"{"config",-6} {"implementation",-28} {"steps/s",8} {"tokens/s",9} {"best run",9} {"MFU",6} {"peak GF/s",9} {"first loss",10} {"last loss",9} {"vs PyTorch",10}");
        foreach (var (shape, samples) in table)
        {
            var peer = table.FirstOrDefault(r => r.Shape == shape && r.Samples.Implementation.StartsWith("PyTorch", StringComparison.Ordinal)).Samples;
            double tokensPerSecond = samples.TokensPerSecond(shape.TokensPerStep);
            string ratio = peer is null ? "-" : $"{tokensPerSecond / peer.TokensPerSecond(shape.TokensPerStep):F2}x";
            double mfu = samples.FlopsPerToken * tokensPerSecond / (samples.PeakGFlops * 1e9);
            Console.WriteLine($"{shape.Name,-6} {samples.Implementation,-28} {tokensPerSecond / shape.TokensPerStep,8:F2} {tokensPerSecond,9:F0} {samples.RunTokensPerSecond.Max(),9:F0} " +
                              $"{100 * mfu,5:F1}% {samples.PeakGFlops,9:F1} {samples.FirstLoss,10:F4} {samples.LastLoss,9:F4} {ratio,10}");
        }
        Console.WriteLine();
        Console.WriteLine("tokens/s: at the median step time over every timed step of every round; best run: the fastest single run's mean.");
        Console.WriteLine("MFU: nanoGPT's (6N + 12*L*H*Q*T) FLOPs per token (N without position embeddings) x tokens/s over the peak in the row.");
        Console.WriteLine("Rerun: bash bench/pretrain/run.sh   (options: --configs baby,small --baby-steps N --small-steps N --baby-rounds N --small-rounds N " +
                          "--precisions fp32,bf16 --peer-env tuned|default)");
        return 0;
    }

    /// <summary>One shape: a warm-up run of each implementation, then rounds in which each runs once (ours per
    /// precision, then the peer), so all of them sample the same minutes of a shared machine.</summary>
    static List<Samples> RunShape(Shape shape, MixedPrecision[] precisions, string work, string device, torch.Device target, int matmulSize,
        double matmulSeconds, (string Python, string Script, string Env, string Data, int Threads)? peer)
    {
        int runs = 0;
        PretrainResult Train(MixedPrecision precision, int maxSteps, double peak)
        {
            var config = new PretrainConfig(shape.Model, Path.Combine(work, "train"), Path.Combine(work, "val"), Path.Combine(work, $"{shape.Name}-{runs++}"),
                BatchSize: shape.Batch, MaxSteps: maxSteps, WarmupSteps: Math.Min(10, maxSteps), EvalEvery: maxSteps, EvalBatches: 1, CheckpointEvery: maxSteps,
                KeepLast: 1, Device: device, Precision: precision, PeakFlopsPerSecond: peak * 1e9);
            using (DisplayHook.Use(new ConsoleDisplaySink(TextWriter.Null)))
                return Pretrainer.Run(config);
        }
        var ours = precisions.ToDictionary(p => p, p => new Samples($"ours, {(p == MixedPrecision.Bf16 ? "bf16 passes" : "fp32")}"));
        Samples? theirs = null;
        using var process = peer is { } p ? StartPeer(p.Python, p.Script, p.Env, p.Data, shape, p.Threads, matmulSize, matmulSeconds) : null;
        foreach (var precision in precisions)
            Train(precision, Math.Max(2, shape.Skip), 1); // libtorch's first kernels, oneDNN's JIT, the allocator (the peer warms up as it starts)
        for (int round = 0; round < shape.Rounds; round++)
        {
            foreach (var precision in precisions)
            {
                double peak = MatmulMeasurement.Measure(target, size: matmulSize, minSeconds: matmulSeconds).GFlops;
                var result = Train(precision, shape.Steps, peak);
                double flopsPerToken = result.Train[0].Mfu * peak * 1e9 / result.Train[0].TokensPerSecond;
                ours[precision].Add([.. result.Train.Select(s => shape.TokensPerStep / s.TokensPerSecond)], shape.Skip, shape.TokensPerStep, peak,
                    flopsPerToken, result.Train[0].Loss, result.Train[^1].Loss);
            }
            if (process is not null && ReadPeerRun(process, $"PyTorch ({peer!.Value.Env} env)") is { } run)
            {
                theirs ??= new Samples($"PyTorch {run.Torch} ({peer.Value.Env} env)");
                theirs.Add(run.StepSeconds, shape.Skip, shape.TokensPerStep, run.PeakGflops, run.FlopsPerToken, run.Losses[0], run.Losses[^1]);
            }
        }
        if (process is not null)
        {
            process.StandardInput.Close();
            process.WaitForExit();
        }
        return [.. ours.Values, .. theirs is null ? Array.Empty<Samples>() : [theirs]];
    }

    /// <summary>Starts the PyTorch peer in serve mode for <paramref name="shape"/>: it warms up, then answers each
    /// line on its stdin with one timed run.</summary>
    /// <remarks>Debian's PyTorch runs its own ops on OpenMP threads and its matmuls on OpenBLAS's pthreads. With the
    /// default (active) OpenMP wait policy the two pools spin against each other on two cores and the baby model's
    /// step runs several times slower; the <c>tuned</c> environment (OpenMP threads sleep when idle, as run.sh sets
    /// for our process too; OpenBLAS on the same thread count) is the peer at its best, <c>default</c> is the peer as
    /// installed.</remarks>
    static Process StartPeer(string python, string script, string env, string data, Shape shape, int threads, int matmulSize, double matmulSeconds)
    {
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = false, UseShellExecute = false,
        };
        if (env == "tuned")
        {
            start.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
            start.Environment["OPENBLAS_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
        }
        else if (env == "default")
        {
            start.Environment.Remove("OMP_WAIT_POLICY");
        }
        else
        {
            throw new ArgumentException($"--peer-env must be tuned or default, got '{env}'");
        }
        var model = shape.Model;
        string[] arguments =
        [
            script, "--serve", "--data", data, "--threads", $"{threads}", "--layers", $"{model.Layers}", "--heads", $"{model.Heads}",
            "--embd", $"{model.EmbeddingSize}", "--block", $"{model.BlockSize}", "--batch", $"{shape.Batch}", "--steps", $"{shape.Steps}",
            "--warmup", $"{Math.Max(2, shape.Skip)}", "--lr-warmup", $"{Math.Min(10, shape.Steps)}", "--matmul-size", $"{matmulSize}",
            "--matmul-seconds", matmulSeconds.ToString(CultureInfo.InvariantCulture), "--vocab", $"{model.VocabSize}",
        ];
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        return Process.Start(start) ?? throw new InvalidOperationException($"{python} did not start");
    }

    /// <summary>Asks the peer for one timed run; null (with a message) when it has died.</summary>
    static PeerRun? ReadPeerRun(Process process, string name)
    {
        try
        {
            process.StandardInput.WriteLine("run");
            process.StandardInput.Flush();
        }
        catch (IOException)
        {
            // the peer has exited; reported below
        }
        string? line = process.StandardOutput.ReadLine();
        if (line is null)
        {
            Console.WriteLine($"  ({name} stopped answering: exit code {(process.WaitForExit(5000) ? process.ExitCode : -1)}; its error output is above)");
            return null;
        }
        return JsonSerializer.Deserialize<PeerRun>(line, PeerJson) ?? throw new InvalidOperationException("the peer printed an empty result");
    }
}
