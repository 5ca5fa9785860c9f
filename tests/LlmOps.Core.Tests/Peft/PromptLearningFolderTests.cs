using System.Text.Json.Nodes;
using LlmOps.Core.Modeling;
using LlmOps.Core.Peft;
using static TorchSharp.torch;

namespace LlmOps.Core.Tests.Peft;

public sealed class PromptLearningFolderTests : IDisposable
{
    readonly string folder = Path.Combine(Path.GetTempPath(), $"llmops-peft-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }

    static JsonObject Config(string path) => JsonNode.Parse(File.ReadAllText(Path.Combine(path, PeftAdapterFolder.ConfigFile)))!.AsObject();

    [Theory]
    [InlineData("prompt", "PROMPT_TUNING", 32, PositionEncoding.Learned)]
    [InlineData("ptuning", "P_TUNING", 32, PositionEncoding.Rotary)]
    [InlineData("prefix", "PREFIX_TUNING", 128, PositionEncoding.Rotary)]
    [InlineData("prefix-projection", "PREFIX_TUNING", 128, PositionEncoding.Learned)]
    public void A_saved_method_reloads_onto_a_fresh_base_with_identical_logits(string method, string peftType, long width, PositionEncoding positions)
    {
        using var model = PromptLearningTests.Model(positions, seed: 11);
        var peft = PromptLearningTests.Apply(method, model, seed: 2);
        using var expected = PromptLearningTests.Logits(model);
        string path = Path.Combine(folder, method);
        peft.Save(path, "checkpoints/base");

        var json = Config(path);
        Assert.Equal(peftType, json["peft_type"]!.GetValue<string>());
        Assert.Equal("CAUSAL_LM", json["task_type"]!.GetValue<string>());
        Assert.Equal("checkpoints/base", json["base_model_name_or_path"]!.GetValue<string>());
        Assert.Equal(PromptLearningTests.N, json["num_virtual_tokens"]!.GetValue<int>());
        Assert.Equal(32, json["token_dim"]!.GetValue<int>());
        Assert.Equal(2, json["num_layers"]!.GetValue<int>());
        Assert.Equal(4, json["num_attention_heads"]!.GetValue<int>());
        Assert.Equal(1, json["num_transformer_submodules"]!.GetValue<int>());
        using (var content = SafeTensors.Read(Path.Combine(path, PeftAdapterFolder.WeightsFile)))
            Assert.Equal([PromptLearningTests.N, width], Assert.Single(content.Tensors, t => t.Key == PeftAdapterFolder.PromptEmbeddings).Value.shape);

        using var fresh = PromptLearningTests.Model(positions, seed: 11);
        var loaded = Assert.IsAssignableFrom<PromptLearningModel>(PeftAdapterFolder.Load(path, fresh));
        Assert.Equal(peft.Method, loaded.Method);
        using var actual = PromptLearningTests.Logits(fresh);
        double difference = (actual - expected).abs().max().item<float>();
        Assert.True(difference <= 1e-6, $"the reloaded {method} differs by {difference}");
        Assert.Equal(PromptLearningTests.N * width, loaded.Trainable().Trainable); // the saved rows train as a table
    }

    [Fact]
    public void Each_method_writes_its_own_peft_keys()
    {
        using var model = PromptLearningTests.Model();
        PromptTuningModel.Apply(model, new PromptTuningConfig(3, PromptTuningInit.Text, "hi"), encode: _ => [4, 5]).Save(Path.Combine(folder, "prompt"));
        var prompt = Config(Path.Combine(folder, "prompt"));
        Assert.Equal("TEXT", prompt["prompt_tuning_init"]!.GetValue<string>());
        Assert.Equal("hi", prompt["prompt_tuning_init_text"]!.GetValue<string>());

        using var other = PromptLearningTests.Model();
        PTuningModel.Apply(other, new PTuningConfig(3, EncoderHiddenSize: 24)).Save(Path.Combine(folder, "ptuning"));
        var ptuning = Config(Path.Combine(folder, "ptuning"));
        Assert.Equal("MLP", ptuning["encoder_reparameterization_type"]!.GetValue<string>());
        Assert.Equal(24, ptuning["encoder_hidden_size"]!.GetValue<int>());

        using var third = PromptLearningTests.Model();
        PrefixTuningModel.Apply(third, new PrefixTuningConfig(3, PrefixProjection: true)).Save(Path.Combine(folder, "prefix"));
        var prefix = Config(Path.Combine(folder, "prefix"));
        Assert.True(prefix["prefix_projection"]!.GetValue<bool>());
        Assert.Equal(32, prefix["encoder_hidden_size"]!.GetValue<int>());
    }

    [Fact]
    public void Lora_and_bottleneck_adapters_load_through_the_same_loader()
    {
        using var model = PromptLearningTests.Model(seed: 11);
        var lora = LoraModel.Apply(model, new LoraConfig(Rank: 2, TargetModules: ["c_attn"]), seed: 1);
        LoraTests.Perturb(lora, 2);
        using var loraLogits = PromptLearningTests.Logits(model);
        lora.Save(Path.Combine(folder, "lora"));
        using var forLora = PromptLearningTests.Model(seed: 11);
        Assert.IsType<LoraModel>(PeftAdapterFolder.Load(Path.Combine(folder, "lora"), forLora));
        using (var logits = PromptLearningTests.Logits(forLora))
            Assert.True(logits.eq(loraLogits).all().item<bool>());

        using var other = PromptLearningTests.Model(seed: 11);
        var adapters = BottleneckAdapterModel.Apply(other, new BottleneckConfig(Size: 4), seed: 1);
        using (no_grad())
        {
            foreach (var parameter in adapters.AdapterParameters())
                parameter.add_(0.05);
        }
        using var adapterLogits = PromptLearningTests.Logits(other);
        string path = Path.Combine(folder, "adapter");
        adapters.Save(path);
        Assert.Equal(PeftAdapterFolder.BottleneckType, Config(path)["peft_type"]!.GetValue<string>());
        Assert.Equal(4, Config(path)["bottleneck_size"]!.GetValue<int>());
        using (var content = SafeTensors.Read(Path.Combine(path, PeftAdapterFolder.WeightsFile)))
        {
            Assert.Equal(16, content.Tensors.Count); // 2 blocks × 2 projections × (down, up) × (weight, bias)
            Assert.Equal([4L, 32L], content.Tensors["base_model.model.transformer.h.1.mlp.c_proj.adapter_down.weight"].shape);
        }
        using var fresh = PromptLearningTests.Model(seed: 11);
        var loaded = Assert.IsType<BottleneckAdapterModel>(PeftAdapterFolder.Load(path, fresh));
        Assert.Equal(adapters.Trainable(), loaded.Trainable());
        using (var logits = PromptLearningTests.Logits(fresh))
            Assert.True(logits.eq(adapterLogits).all().item<bool>(), "the reloaded bottleneck adapters give the same logits, bit for bit");
    }

    [Fact]
    public void Files_that_do_not_fit_name_the_file_and_the_field()
    {
        using var model = PromptLearningTests.Model();
        string path = Path.Combine(folder, "prefix");
        PrefixTuningModel.Apply(model, new PrefixTuningConfig(3), seed: 1).Save(path);
        string configPath = Path.Combine(path, PeftAdapterFolder.ConfigFile);
        string text = File.ReadAllText(configPath);

        using var wider = new Gpt(new GptConfig(50, 16, 2, 4, 64));
        var width = Assert.Throws<InvalidDataException>(() => PeftAdapterFolder.Load(path, wider));
        Assert.Contains(configPath, width.Message, StringComparison.Ordinal);
        Assert.Contains("token_dim is 32", width.Message, StringComparison.Ordinal);
        Assert.Null(wider.VirtualTokens);

        File.WriteAllText(configPath, text.Replace("\"num_virtual_tokens\": 3", "\"num_virtual_tokens\": 5", StringComparison.Ordinal));
        using var fresh = PromptLearningTests.Model();
        var shape = Assert.Throws<InvalidDataException>(() => PeftAdapterFolder.Load(path, fresh));
        Assert.Contains(PeftAdapterFolder.WeightsFile, shape.Message, StringComparison.Ordinal);
        Assert.Contains("'prompt_embeddings' has shape [3, 128]", shape.Message, StringComparison.Ordinal);
        Assert.Contains("needs [5, 128]", shape.Message, StringComparison.Ordinal);
        Assert.Null(fresh.VirtualTokens);

        File.WriteAllText(configPath, text.Replace("\"num_virtual_tokens\": 3", "\"num_virtual_tokens\": 0", StringComparison.Ordinal));
        var zero = Assert.Throws<InvalidDataException>(() => PeftAdapterFolder.Load(path, fresh));
        Assert.Contains("num_virtual_tokens", zero.Message, StringComparison.Ordinal);

        File.WriteAllText(configPath, text.Replace("PREFIX_TUNING", "IA3", StringComparison.Ordinal));
        var type = Assert.Throws<InvalidDataException>(() => PeftAdapterFolder.Load(path, fresh));
        Assert.Contains("peft_type 'IA3'", type.Message, StringComparison.Ordinal);

        File.WriteAllText(configPath, text.Replace("\"num_layers\": 2", "\"num_layers\": 3", StringComparison.Ordinal));
        var layers = Assert.Throws<InvalidDataException>(() => PeftAdapterFolder.Load(path, fresh));
        Assert.Contains("num_layers is 3", layers.Message, StringComparison.Ordinal);

        File.Delete(Path.Combine(path, PeftAdapterFolder.WeightsFile));
        var missing = Assert.Throws<FileNotFoundException>(() => PeftAdapterFolder.Load(path, fresh));
        Assert.Contains(PeftAdapterFolder.WeightsFile, missing.Message, StringComparison.Ordinal);
    }
}
