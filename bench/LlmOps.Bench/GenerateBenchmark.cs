using LlmOps.Core.Modeling;
using LlmOps.Core.Platform;
using TorchSharp;

namespace LlmOps.Bench;

/// <summary>
/// Generation speed with and without the KV cache, measured in the same run on the same model and prompt: without the
/// cache every new token re-runs the whole window through the model; with it, only the new token passes through and
/// attends to cached keys and values. Greedy decoding, so both paths produce the same tokens (checked).
/// </summary>
static class GenerateBenchmark
{
    public static Task<int> RunAsync(BenchOptions options)
    {
        int tokens = options.Int("tokens", 200);
        int repeats = options.Int("repeat", 3);
        TorchRuntime.EnsureInitialized();
        Console.WriteLine($"generation benchmark: greedy, {tokens} new tokens from a 16-token prompt, best of {repeats}, {torch.get_num_threads()} threads");
        Console.WriteLine();
        Console.WriteLine($"{"model",-28} {"no cache tok/s",15} {"KV cache tok/s",15} {"speed-up",9} {"same tokens",12}");
        foreach (var (name, config) in new[] { ("baby 4/4/128 ctx 256", GptConfig.Baby(4096) with { BlockSize = 256 }), ("small 6/6/384 ctx 256", GptConfig.Small(4096) with { Dropout = 0 }) })
        {
            using var model = new Gpt(config, seed: 1);
            int[] prompt = [.. Enumerable.Range(0, 16).Select(i => (i * 37) % config.VocabSize)];
            int newTokens = Math.Min(tokens, config.BlockSize - prompt.Length); // stay inside one window: the cache's case
            _ = model.Generate(prompt, GenerationConfig.Greedy(8)).Count(); // warm-up: first kernels, allocator
            var plain = Timing.Best(repeats, () => model.Generate(prompt, GenerationConfig.Greedy(newTokens) with { UseKvCache = false }).ToList());
            var cached = Timing.Best(repeats, () => model.Generate(prompt, GenerationConfig.Greedy(newTokens) with { UseKvCache = true }).ToList());
            Console.WriteLine($"{name,-28} {newTokens / plain.Seconds,15:F1} {newTokens / cached.Seconds,15:F1} {plain.Seconds / cached.Seconds,8:F2}x {(plain.Result.SequenceEqual(cached.Result) ? "yes" : "NO"),12}");
        }
        Console.WriteLine();
        Console.WriteLine("rerun: bash bench/generate/run.sh [--tokens N] [--repeat N]");
        return Task.FromResult(0);
    }

}
