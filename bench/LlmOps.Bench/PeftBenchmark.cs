using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LlmOps.Core.Modeling;
using LlmOps.Core.Peft;
using LlmOps.Core.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmOps.Bench;

/// <summary>
/// Parameter-efficient methods (LoRA by default; bottleneck adapters, prompt tuning, P-tuning, prefix tuning on request)
/// against full fine-tuning on the same GPT, same batches and same AdamW step: training steps/s, the process's
/// peak resident memory while training, and the bytes of weights + gradients + AdamW state each method holds. Each
/// (method, round) runs in a child process of this program, so every peak is that method's own (a process never
/// gives its high-water mark back), and the methods alternate round by round so all see the same minutes of a
/// shared machine. The prompt-learning methods' virtual tokens take N places of the block, so their batches hold
/// block − N real tokens: the sequence through the model is as long as for the others.
/// </summary>
static class PeftBenchmark
{
    sealed record Shape(string Name, GptConfig Model, int Batch, int Steps);

    /// <summary>What one child reports (one JSON line).</summary>
    sealed record WorkerResult(string Method, double[] StepSeconds, long TrainableParameters, long TotalParameters,
        long WeightBytes, long GradientBytes, long OptimizerBytes, long RssBeforeModelBytes, long PeakRssBytes, double FirstLoss, double LastLoss);

    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    static Shape ShapeNamed(string name, BenchOptions options) => name switch
    {
        "baby" => new("baby 4/4/128 ctx 64 b12", GptConfig.Baby(4096), 12, options.Int("baby-steps", 30)),
        "small" => new("small 6/6/384 ctx 256 b8", GptConfig.Small(4096) with { Dropout = 0 }, 8, options.Int("small-steps", 8)),
        _ => throw new ArgumentException($"unknown config '{name}' (baby, small)"),
    };

    public static async Task<int> RunAsync(BenchOptions options)
    {
        string[] names = options.String("configs", "baby,small").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int rounds = options.Int("rounds", 2);
        int rank = options.Int("rank", 8);
        string targets = options.String("targets", "c_attn,c_proj,c_fc");
        int virtualTokens = options.Int("virtual-tokens", 16);
        string[] methods = options.String("methods", "full,lora").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        TorchRuntime.EnsureInitialized();
        Console.WriteLine($"PEFT benchmark: {string.Join(", ", methods)} (LoRA r={rank}, alpha={2 * rank}, targets {targets}; adapters size 16 after " +
                          $"attn.c_proj and mlp.c_proj; prompt, ptuning (H = C), prefix: N={virtualTokens}), AdamW, fp32, CPU, " +
                          $"{torch.get_num_threads()} threads, {rounds} alternating rounds, each in its own process; steps/s at the median step");
        Console.WriteLine();
        Console.WriteLine($"{"config",-26} {"method",-8} {"trainable",11} {"share",7} {"steps/s",8} {"w+g+AdamW MB",13} {"peak RSS MB",12} {"train RSS MB",13} {"loss first→last",17}");
        foreach (string name in names)
        {
            var shape = ShapeNamed(name, options);
            var results = methods.ToDictionary(m => m, _ => new List<WorkerResult>(), StringComparer.Ordinal);
            for (int round = 0; round < rounds; round++)
            {
                foreach (string method in round % 2 == 0 ? methods : methods.Reverse())
                    results[method].Add(await RunWorkerAsync(name, method, shape.Steps, rank, targets, virtualTokens));
            }
            double Median(string method)
            {
                var sorted = results[method].SelectMany(r => r.StepSeconds.Skip(2)).Order().ToList();
                return sorted[sorted.Count / 2];
            }
            foreach (string method in methods)
            {
                var last = results[method][^1];
                long peak = results[method].Max(r => r.PeakRssBytes);
                long training = results[method].Max(r => r.PeakRssBytes - r.RssBeforeModelBytes);
                Console.WriteLine($"{shape.Name,-26} {method,-8} {last.TrainableParameters,11:N0} {100.0 * last.TrainableParameters / last.TotalParameters,6:F2}% " +
                                  $"{1 / Median(method),8:F2} {(last.WeightBytes + last.GradientBytes + last.OptimizerBytes) / 1e6,13:F1} {peak / 1e6,12:F0} {training / 1e6,13:F0} " +
                                  $"{last.FirstLoss,8:F3}→{last.LastLoss,-8:F3}");
            }
            if (!results.TryGetValue("full", out var fullRuns))
                continue;
            var full = fullRuns[^1];
            long fullTraining = fullRuns.Max(r => r.PeakRssBytes - r.RssBeforeModelBytes);
            foreach (string method in methods.Where(m => m != "full"))
            {
                var other = results[method][^1];
                Console.WriteLine($"{"",-26} {method}/full: steps/s {Median("full") / Median(method):F2}x, weights+grads+AdamW " +
                                  $"{(double)(other.WeightBytes + other.GradientBytes + other.OptimizerBytes) / (full.WeightBytes + full.GradientBytes + full.OptimizerBytes):F2}x, " +
                                  $"training RSS {(double)results[method].Max(r => r.PeakRssBytes - r.RssBeforeModelBytes) / fullTraining:F2}x");
            }
        }
        Console.WriteLine();
        Console.WriteLine("train RSS: the child's peak resident memory (VmHWM) minus its resident memory before the model was built: weights, gradients,");
        Console.WriteLine("optimizer state, activations and allocator slack. w+g+AdamW: what the method holds by construction (activations not included).");
        Console.WriteLine("rerun: bash bench/peft/run.sh [--configs baby,small] [--baby-steps N] [--small-steps N] [--rounds N] [--rank N] [--targets c_attn,c_proj,c_fc] " +
                          "[--methods full,lora,adapter,prompt,ptuning,prefix] [--virtual-tokens N]");
        return 0;
    }

    static async Task<WorkerResult> RunWorkerAsync(string config, string method, int steps, int rank, string targets, int virtualTokens)
    {
        string self = typeof(PeftBenchmark).Assembly.Location;
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { self, "peft-worker", "--config", config, "--method", method, "--steps", steps.ToString(CultureInfo.InvariantCulture),
                     "--rank", rank.ToString(CultureInfo.InvariantCulture), "--targets", targets, "--virtual-tokens", virtualTokens.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the benchmark worker");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        string line = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        if (process.ExitCode != 0 || !line.StartsWith('{'))
            throw new InvalidOperationException($"the {method} worker for {config} failed (exit {process.ExitCode}): {await error}{line}");
        return JsonSerializer.Deserialize<WorkerResult>(line, Json)!;
    }

    /// <summary>One method on one shape in this process: prints one JSON line.</summary>
    public static Task<int> WorkerAsync(BenchOptions options)
    {
        TorchRuntime.EnsureInitialized();
        var shape = ShapeNamed(options.String("config", "baby"), options);
        string method = options.String("method", "full");
        int steps = options.Int("steps", shape.Steps);
        int rank = options.Int("rank", 8);
        using (var warm = ones(8, 8).matmul(ones(8, 8))) { } // libtorch's lazy start-up belongs to the baseline, not to the method
        long before = Rss("VmRSS");
        using var model = new Gpt(shape.Model, seed: 1);
        model.train();
        int virtualTokens = options.Int("virtual-tokens", 16);
        IPeftModel? peft = method switch
        {
            "full" => null,
            "lora" => LoraModel.Apply(model, new LoraConfig(rank, 2 * rank, 0, options.String("targets", "c_attn,c_proj,c_fc").Split(',')), seed: 1),
            "adapter" => BottleneckAdapterModel.Apply(model, new BottleneckConfig(16), seed: 1),
            "prompt" => PromptTuningModel.Apply(model, new PromptTuningConfig(virtualTokens), seed: 1),
            "ptuning" => PTuningModel.Apply(model, new PTuningConfig(virtualTokens), seed: 1),
            "prefix" => PrefixTuningModel.Apply(model, new PrefixTuningConfig(virtualTokens), seed: 1),
            _ => throw new ArgumentException($"unknown method '{method}' (full, lora, adapter, prompt, ptuning, prefix)"),
        };
        var trainable = model.parameters().Where(p => p.requires_grad).ToList();
        using var optimizer = optim.AdamW(trainable, lr: 1e-3);
        using var generator = new Generator(42);
        using var data = randint(0, shape.Model.VocabSize, [shape.Batch, model.ContextSize + 1], generator: generator);
        var seconds = new double[steps];
        double first = double.NaN, last = double.NaN;
        for (int step = 0; step < steps; step++)
        {
            long begin = Stopwatch.GetTimestamp();
            using (var scope = NewDisposeScope())
            {
                optimizer.zero_grad();
                var loss = model.NextTokenLoss(data);
                loss.backward();
                optimizer.step();
                last = loss.item<float>();
            }
            seconds[step] = Stopwatch.GetElapsedTime(begin).TotalSeconds;
            if (step == 0)
                first = last;
        }
        var counts = peft?.Trainable() ?? TrainableParameters.Of(model);
        long weightBytes = model.parameters().Sum(p => p.numel() * p.ElementSize);
        long gradientBytes = trainable.Sum(p => p.numel() * p.ElementSize);
        var result = new WorkerResult(method, seconds, counts.Trainable, counts.Total, weightBytes, gradientBytes, counts.OptimizerStateBytes,
            before, Rss("VmHWM"), first, last);
        Console.WriteLine(JsonSerializer.Serialize(result, Json));
        return Task.FromResult(0);
    }

    /// <summary>A field of /proc/self/status in bytes (VmRSS: resident now; VmHWM: the peak so far).</summary>
    static long Rss(string field)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        throw new InvalidOperationException($"/proc/self/status has no {field} (the memory figures need Linux)");
    }
}
