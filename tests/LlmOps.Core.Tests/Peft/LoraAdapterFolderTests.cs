using System.Text.Json.Nodes;
using LlmOps.Core.Modeling;
using LlmOps.Core.Peft;
using LlmOps.Core.Tests.Modeling;
using static TorchSharp.torch;

namespace LlmOps.Core.Tests.Peft;

public sealed class LoraAdapterFolderTests : IDisposable
{
    readonly string folder = Path.Combine(Path.GetTempPath(), $"llmops-lora-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }

    static Tensor Logits(Gpt model)
    {
        using var ids = Tiny.Ids([1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1]);
        using var noGrad = no_grad();
        return model.call(ids);
    }

    string Saved(LoraConfig config)
    {
        using var model = Tiny.Model(seed: 11);
        var lora = LoraModel.Apply(model, config, seed: 1);
        LoraTests.Perturb(lora, 2);
        string path = Path.Combine(folder, "adapter");
        lora.SaveAdapter(path, baseModelNameOrPath: "checkpoints/base");
        return path;
    }

    [Fact]
    public void An_adapter_saved_in_peft_layout_reloads_onto_a_fresh_base_with_identical_outputs()
    {
        using var model = Tiny.Model(seed: 11);
        var lora = LoraModel.Apply(model, new LoraConfig(Rank: 4, Alpha: 8, TargetModules: ["c_attn", "c_fc"]), seed: 1);
        LoraTests.Perturb(lora, 2);
        using var expected = Logits(model);
        string path = Path.Combine(folder, "adapter");
        lora.SaveAdapter(path, baseModelNameOrPath: "checkpoints/base");

        Assert.Equal(["adapter_config.json", "adapter_model.safetensors"], Directory.GetFiles(path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(path, LoraAdapterFolder.ConfigFile)))!.AsObject();
        Assert.Equal("LORA", json["peft_type"]!.GetValue<string>());
        Assert.Equal("CAUSAL_LM", json["task_type"]!.GetValue<string>());
        Assert.Equal(4, json["r"]!.GetValue<int>());
        Assert.Equal(8, json["lora_alpha"]!.GetValue<double>());
        Assert.Equal("none", json["bias"]!.GetValue<string>());
        Assert.False(json["fan_in_fan_out"]!.GetValue<bool>());
        Assert.Equal("checkpoints/base", json["base_model_name_or_path"]!.GetValue<string>());
        Assert.Equal(["c_attn", "c_fc"], json["target_modules"]!.AsArray().Select(n => n!.GetValue<string>()));
        using (var content = SafeTensors.Read(Path.Combine(path, LoraAdapterFolder.WeightsFile)))
        {
            Assert.Equal(8, content.Tensors.Count);
            Assert.Equal([4L, 16L], content.Tensors["base_model.model.transformer.h.0.attn.c_attn.lora_A.weight"].shape);
            Assert.Equal([64L, 4L], content.Tensors["base_model.model.transformer.h.1.mlp.c_fc.lora_B.weight"].shape);
        }

        using var fresh = Tiny.Model(seed: 11);
        var loaded = LoraModel.FromPretrained(fresh, path);
        using var actual = Logits(fresh);
        Assert.True(actual.eq(expected).all().item<bool>(), "the reloaded adapter gives the same logits, bit for bit");
        Assert.Equal(lora.Trainable(), loaded.Trainable());
        Assert.Equal(new LoraConfig(4, 8, 0, ["c_attn", "c_fc"]).Scale, loaded.Adapters["default"].Scale);

        loaded.LoadAdapter(path, "copy");
        using var copy = Logits(fresh);
        Assert.True(copy.eq(expected).all().item<bool>());
    }

    [Fact]
    public void A_wrong_shape_names_the_file_and_the_tensor()
    {
        string path = Saved(new LoraConfig(Rank: 4, TargetModules: ["c_attn"]));
        string configPath = Path.Combine(path, LoraAdapterFolder.ConfigFile);
        File.WriteAllText(configPath, File.ReadAllText(configPath).Replace("\"r\": 4", "\"r\": 2", StringComparison.Ordinal));
        using var model = Tiny.Model(seed: 11);
        var error = Assert.Throws<InvalidDataException>(() => LoraModel.FromPretrained(model, path));
        Assert.Contains(LoraAdapterFolder.WeightsFile, error.Message, StringComparison.Ordinal);
        Assert.Contains("'base_model.model.transformer.h.0.attn.c_attn.lora_A.weight' has shape [4, 16]", error.Message, StringComparison.Ordinal);
        Assert.Contains("needs [2, 16]", error.Message, StringComparison.Ordinal);
        Assert.All(model.Projections(), p => Assert.IsType<TorchSharp.Modules.Linear>(p.Layer)); // checked before anything changed
    }

    [Fact]
    public void A_missing_tensor_or_file_names_what_is_missing()
    {
        string path = Saved(new LoraConfig(Rank: 4, TargetModules: ["c_attn"]));
        string configPath = Path.Combine(path, LoraAdapterFolder.ConfigFile);
        File.WriteAllText(configPath, File.ReadAllText(configPath).Replace("\"c_attn\"", "\"c_attn\", \"c_fc\"", StringComparison.Ordinal));
        using var model = Tiny.Model(seed: 11);
        var error = Assert.Throws<InvalidDataException>(() => LoraModel.FromPretrained(model, path));
        Assert.Contains(Path.Combine(path, LoraAdapterFolder.WeightsFile), error.Message, StringComparison.Ordinal);
        Assert.Contains("no tensor 'base_model.model.transformer.h.0.mlp.c_fc.lora_A.weight'", error.Message, StringComparison.Ordinal);

        File.Delete(Path.Combine(path, LoraAdapterFolder.WeightsFile));
        var missing = Assert.Throws<FileNotFoundException>(() => LoraModel.FromPretrained(model, path));
        Assert.Contains(LoraAdapterFolder.WeightsFile, missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tensor_for_a_projection_the_config_does_not_target_is_refused()
    {
        string path = Saved(new LoraConfig(Rank: 4, TargetModules: ["c_attn", "c_fc"]));
        string configPath = Path.Combine(path, LoraAdapterFolder.ConfigFile);
        File.WriteAllText(configPath, File.ReadAllText(configPath).Replace("\"c_attn\",", "", StringComparison.Ordinal));
        using var model = Tiny.Model(seed: 11);
        var error = Assert.Throws<InvalidDataException>(() => LoraModel.FromPretrained(model, path));
        Assert.Contains("c_attn.lora_", error.Message, StringComparison.Ordinal);
        Assert.Contains("belongs to no projection", error.Message, StringComparison.Ordinal);
    }
}
