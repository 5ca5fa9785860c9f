using LlmOps.Core.Modeling;
using LlmOps.Core.Peft;
using LlmOps.Core.Tests.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmOps.Core.Tests.Peft;

public class PromptLearningTests
{
    internal const int N = 4;

    /// <summary>The brief's small model: 2 layers, 4 heads, 32 wide, 50 tokens; block 16, so with N = 4 virtual tokens a
    /// 24-token generation slides the window.</summary>
    internal static Gpt Model(PositionEncoding positions = PositionEncoding.Learned, int seed = 7)
    {
        var model = new Gpt(new GptConfig(VocabSize: 50, BlockSize: 16, Layers: 2, Heads: 4, EmbeddingSize: 32, Positions: positions), seed);
        model.eval();
        return model;
    }

    /// <summary>Each method by name, with N = 4 and a hidden size of 16 where there is an encoder.</summary>
    internal static PromptLearningModel Apply(string method, Gpt model, int seed = 1) => method switch
    {
        "prompt" => PromptTuningModel.Apply(model, new PromptTuningConfig(N), seed),
        "ptuning" => PTuningModel.Apply(model, new PTuningConfig(N, EncoderHiddenSize: 16), seed),
        "prefix" => PrefixTuningModel.Apply(model, new PrefixTuningConfig(N), seed),
        "prefix-projection" => PrefixTuningModel.Apply(model, new PrefixTuningConfig(N, PrefixProjection: true, EncoderHiddenSize: 16), seed),
        _ => throw new ArgumentException(method, nameof(method)),
    };

    public static TheoryData<string, PositionEncoding> MethodsAndPositions()
    {
        var data = new TheoryData<string, PositionEncoding>();
        foreach (string method in new[] { "prompt", "ptuning", "prefix", "prefix-projection" })
        {
            data.Add(method, PositionEncoding.Learned);
            data.Add(method, PositionEncoding.Rotary);
        }
        return data;
    }

    static readonly long[][] Sequence = [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]];

    internal static Tensor Logits(Gpt model)
    {
        using var ids = Tiny.Ids(Sequence);
        using var noGrad = no_grad();
        return model.call(ids);
    }

    [Theory]
    [InlineData("prompt", PeftMethod.Prompt, N * 32L)]
    [InlineData("prefix", PeftMethod.Prefix, 2 * 2 * N * 32L)] // layers·2·N·C
    [InlineData("ptuning", PeftMethod.PTuning, N * 32L + (32 * 16 + 16) + (16 * 16 + 16) + (16 * 32 + 32))] // table + MLP C→H→H→C
    [InlineData("prefix-projection", PeftMethod.Prefix, N * 32L + (32 * 16 + 16) + (16 * 128 + 128))] // table + C→H→layers·2·C
    public void Only_the_method_trains_and_the_counts_match_the_formula(string method, PeftMethod expected, long trainable)
    {
        using var model = Model();
        long baseCount = model.ParameterCount();
        var peft = Apply(method, model);

        Assert.Equal(expected, peft.Method);
        var counts = peft.Trainable();
        Assert.Equal(trainable, counts.Trainable);
        Assert.Equal(baseCount + trainable, counts.Total);
        Assert.Equal(trainable * 2 * sizeof(float), counts.OptimizerStateBytes);
        Assert.Equal(trainable, peft.AdapterParameters().Sum(p => p.numel()));
        foreach (var (name, parameter) in model.named_parameters())
            Assert.True(parameter.requires_grad == name.StartsWith("prompt_encoder.", StringComparison.Ordinal), $"{name}: requires_grad {parameter.requires_grad}");
        Assert.Contains("prompt_encoder.embedding.weight", model.state_dict().Keys);
        Assert.Same(peft.Tokens, model.VirtualTokens);
    }

    [Theory]
    [MemberData(nameof(MethodsAndPositions))]
    public void Logits_keep_the_base_shape_and_removing_the_method_restores_the_base_bit_for_bit(string method, PositionEncoding positions)
    {
        using var model = Model(positions);
        var original = model.parameters().Select(p => p.requires_grad).ToList();
        using var bare = Logits(model);
        var peft = Apply(method, model);

        using var adapted = Logits(model);
        Assert.Equal(bare.shape, adapted.shape);
        Assert.False(adapted.eq(bare).all().item<bool>(), "the virtual tokens change what the model predicts");
        Assert.Throws<InvalidOperationException>(() => model.ProbeAttention(Tiny.Ids(Sequence)));

        Assert.Same(model, peft.Remove());
        Assert.Null(model.VirtualTokens);
        Assert.DoesNotContain(model.state_dict().Keys, k => k.StartsWith("prompt_encoder", StringComparison.Ordinal));
        Assert.Equal(original, model.parameters().Select(p => p.requires_grad).ToList());
        using var removed = Logits(model);
        Assert.True(removed.eq(bare).all().item<bool>(), "after Remove the logits are the base's, bit for bit");
    }

    [Fact]
    public void The_method_lives_in_the_module_tree_and_moves_with_the_model()
    {
        using var model = Model();
        var peft = Apply("prefix-projection", model);
        Assert.Contains("prompt_encoder.transform.2.weight", model.state_dict().Keys);
        model.to(ScalarType.Float64);
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float64, p.dtype));
        Assert.All(peft.AdapterParameters(), p => Assert.True(p.requires_grad));
        Assert.All(model.named_parameters().Where(p => !p.name.StartsWith("prompt_encoder.", StringComparison.Ordinal)), p => Assert.False(p.parameter.requires_grad));
        using (var logits = Logits(model))
            Assert.Equal(ScalarType.Float64, logits.dtype);
        peft.Remove();
        Assert.All(model.parameters(), p => Assert.True(p.requires_grad, "Remove gives the moved parameters their trainability back"));
    }

    [Theory]
    [MemberData(nameof(MethodsAndPositions))]
    public void A_cached_forward_in_pieces_equals_the_full_forward(string method, PositionEncoding positions)
    {
        using var model = Model(positions);
        Apply(method, model);
        using var ids = Tiny.Ids(Sequence);
        using var full = Logits(model);
        using var cache = model.NewKvCache();
        using var first = model.Logits(ids.narrow(1, 0, 6), cache);
        Assert.Equal(N + 6, cache.Length); // the virtual tokens sit in the cache from the prefill on
        using var second = model.Logits(ids.narrow(1, 6, 1), cache);
        using var third = model.Logits(ids.narrow(1, 7, 3), cache);
        using var pieces = cat([first, second, third], 1);
        double difference = (pieces - full).abs().max().item<float>();
        Assert.True(difference <= 1e-5, $"cached pieces differ from the full forward by {difference}");
    }

    [Theory]
    [MemberData(nameof(MethodsAndPositions))]
    public void Greedy_generation_gives_the_same_tokens_with_and_without_the_cache_across_a_window_slide(string method, PositionEncoding positions)
    {
        using var model = Model(positions);
        Apply(method, model);
        Assert.Equal(16 - N, model.ContextSize);
        int[] prompt = [1, 2, 3];
        var cached = model.Generate(prompt, new GenerationConfig(MaxNewTokens: 24, Temperature: 0)).ToList();
        var uncached = model.Generate(prompt, new GenerationConfig(MaxNewTokens: 24, Temperature: 0, UseKvCache: false)).ToList();
        Assert.Equal(24, cached.Count); // 3 + 24 tokens > context 12: the window slid
        Assert.Equal(uncached, cached);
    }

    [Fact]
    public void The_virtual_tokens_take_places_in_the_block_and_bad_configs_say_what_is_wrong()
    {
        using var model = Model();
        var count = Assert.Throws<ArgumentException>(() => PromptTuningModel.Apply(model, new PromptTuningConfig(0)));
        Assert.Contains("num_virtual_tokens", count.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => PrefixTuningModel.Apply(model, new PrefixTuningConfig(-1)));
        Assert.Throws<ArgumentException>(() => PTuningModel.Apply(model, new PTuningConfig(4, EncoderHiddenSize: 0)));
        var full = Assert.Throws<ArgumentException>(() => PrefixTuningModel.Apply(model, new PrefixTuningConfig(16)));
        Assert.Contains("block of 16", full.Message, StringComparison.Ordinal);
        Assert.Null(model.VirtualTokens);
        Assert.All(model.parameters(), p => Assert.True(p.requires_grad)); // refused before anything was frozen

        var peft = PromptTuningModel.Apply(model, new PromptTuningConfig(10), seed: 1);
        using var fits = Tiny.Ids([1, 2, 3, 4, 5, 6]);
        using var tooLong = Tiny.Ids([1, 2, 3, 4, 5, 6, 7]);
        using (var logits = model.call(fits))
            Assert.Equal([1L, 6L, 50L], logits.shape);
        var error = Assert.Throws<ArgumentException>(() => model.call(tooLong));
        Assert.Contains("10 virtual", error.Message, StringComparison.Ordinal);
        Assert.Contains("block size is 16", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => PrefixTuningModel.Apply(model, new PrefixTuningConfig(2)));
        peft.Remove();
    }

    [Fact]
    public void Text_init_starts_from_the_init_texts_token_embeddings_repeated_to_N()
    {
        using var model = Model();
        var wte = model.get_parameter("wte.weight")!.detach().clone();
        var config = new PromptTuningConfig(5, PromptTuningInit.Text, "ab");
        Assert.Throws<ArgumentException>(() => PromptTuningModel.Apply(model, config)); // no encoder to tokenize the text
        Assert.Throws<ArgumentException>(() => new PromptTuningConfig(5, PromptTuningInit.Text).Validate());
        Assert.Throws<ArgumentException>(() => PromptTuningModel.Apply(model, config, encode: _ => [60]));

        var peft = PromptTuningModel.Apply(model, config, encode: text => text == "ab" ? [7, 9] : []);
        using var expected = wte.index_select(0, tensor(new long[] { 7, 9, 7, 9, 7 }));
        Assert.True(peft.Tokens.Rows().eq(expected).all().item<bool>(), "rows are the embeddings of 7, 9, 7, 9, 7");
        Assert.True(peft.Tokens.Rows().requires_grad);
    }
}
