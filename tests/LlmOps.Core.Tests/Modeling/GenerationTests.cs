using LlmOps.Core.Modeling;
using LlmOps.Core.Platform;
using static TorchSharp.torch;

namespace LlmOps.Core.Tests.Modeling;

public class GenerationTests
{
    static readonly int[] Prompt = [1, 2, 3];

    [Theory]
    [InlineData(PositionEncoding.Learned)]
    [InlineData(PositionEncoding.Rotary)]
    public void Greedy_tokens_are_the_same_with_and_without_the_kv_cache(PositionEncoding positions)
    {
        using var model = Tiny.Model(Tiny.Config(positions));
        var greedy = GenerationConfig.Greedy(maxNewTokens: 12); // 3 + 12 > block size 8: the window slides
        var cached = model.Generate(Prompt, greedy).ToList();
        var uncached = model.Generate(Prompt, greedy with { UseKvCache = false }).ToList();
        Assert.Equal(12, cached.Count);
        Assert.Equal(uncached, cached);
    }

    [Fact]
    public void Seeded_sampling_is_deterministic()
    {
        using var model = Tiny.Model();
        var config = new GenerationConfig(MaxNewTokens: 20, Temperature: 1.5, Seed: 11);
        var first = model.Generate(Prompt, config).ToList();
        using (var drawn = rand(8)) { } // moves the global generator: a private seed must not care
        Assert.Equal(first, model.Generate(Prompt, config).ToList());
        Assert.NotEqual(first, model.Generate(Prompt, config with { Seed = 12 }).ToList());
    }

    [Fact]
    public void Top_k_of_one_is_greedy()
    {
        using var model = Tiny.Model();
        var greedy = model.Generate(Prompt, GenerationConfig.Greedy(10)).ToList();
        Assert.Equal(greedy, model.Generate(Prompt, new GenerationConfig(MaxNewTokens: 10, Temperature: 0.8, TopK: 1, Seed: 5)).ToList());
        Assert.Equal(greedy, model.Generate(Prompt, new GenerationConfig(MaxNewTokens: 10, TopP: 1e-6, Seed: 5)).ToList());
    }

    [Fact]
    public void The_repetition_penalty_moves_probability_away_from_seen_tokens()
    {
        TorchRuntime.EnsureInitialized();
        using var logits = tensor(new float[] { 2.0f, 1.9f, -1.0f, -1.1f });
        var plain = new GenerationConfig(Temperature: 0);
        var penalised = plain with { RepetitionPenalty = 1.2 };
        Assert.Equal(0, TokenSampler.Next(logits, [0], plain, null));
        Assert.Equal(1, TokenSampler.Next(logits, [0], penalised, null)); // 2.0/1.2 < 1.9

        int[] Counts(GenerationConfig config, int[] context)
        {
            using var generator = new Generator(3);
            var counts = new int[4];
            for (int i = 0; i < 2000; i++)
                counts[TokenSampler.Next(logits, context, config, generator)]++;
            return counts;
        }
        var sampling = new GenerationConfig(Temperature: 1);
        var before = Counts(sampling, [0, 2]);
        var after = Counts(sampling with { RepetitionPenalty = 1.5 }, [0, 2]);
        Assert.True(after[0] < before[0], $"seen positive token: {before[0]} -> {after[0]}");
        Assert.True(after[2] < before[2], $"seen negative token: {before[2]} -> {after[2]}"); // multiplied, so more negative
        Assert.True(after[1] > before[1], $"unseen token: {before[1]} -> {after[1]}");
    }

    [Fact]
    public void Stop_sequences_stop_and_are_not_yielded()
    {
        using var model = Tiny.Model();
        var reference = model.Generate(Prompt, GenerationConfig.Greedy(12)).ToList();
        int[] stop = [reference[4], reference[5]];
        int at = Enumerable.Range(0, reference.Count - 1).First(i => reference[i] == stop[0] && reference[i + 1] == stop[1]);

        var streamed = new List<int>();
        var byIds = model.Generate(Prompt, GenerationConfig.Greedy(12) with { StopTokenSequences = [stop] }, streamed.Add).ToList();
        Assert.Equal(reference[..at], byIds);
        Assert.Equal(byIds, streamed);

        var none = model.Generate(Prompt, GenerationConfig.Greedy(12) with { StopTokenSequences = [[10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10]] }).ToList();
        Assert.Equal(reference, none); // a held-back partial match is released at the end
    }

    [Fact]
    public void Generation_restores_training_mode_and_checks_its_inputs()
    {
        using var model = Tiny.Model();
        model.train();
        _ = model.Generate(Prompt, GenerationConfig.Greedy(2)).ToList();
        Assert.True(model.training);
        Assert.Throws<ArgumentException>(() => model.Generate([], GenerationConfig.Greedy()));
        Assert.Throws<ArgumentException>(() => model.Generate([11], GenerationConfig.Greedy()));
        Assert.Throws<ArgumentException>(() => model.Generate(Prompt, new GenerationConfig { StopTokenSequences = [[]] }));
    }
}
