using LlmOps.Core.Modeling;
using LlmOps.Core.Peft;
using LlmOps.Core.Tests.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LlmOps.Core.Tests.Peft;

public class LoraTests
{
    static readonly long[][] Sequence = [[1, 2, 3, 4, 5, 6, 7, 8], [8, 7, 6, 5, 4, 3, 2, 1]];

    /// <summary>Gives every adapter B a seeded non-zero value, as training would, so the update is not a no-op.</summary>
    internal static void Perturb(LoraModel lora, int seed)
    {
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var (_, layer) in lora.Layers())
        {
            foreach (string adapter in layer.Adapters)
                layer.Weights(adapter).B.normal_(0, 0.1, generator);
        }
    }

    static Tensor Logits(Gpt model)
    {
        using var ids = Tiny.Ids(Sequence);
        using var noGrad = no_grad();
        return model.call(ids);
    }

    [Fact]
    public void Apply_wraps_the_targets_freezes_the_base_and_starts_as_the_identity()
    {
        using var model = Tiny.Model();
        using var before = Logits(model);
        long baseCount = model.ParameterCount();

        var lora = LoraModel.Apply(model, new LoraConfig(Rank: 4, Alpha: 8, TargetModules: ["c_attn", "mlp.c_proj"]), seed: 1);

        Assert.Equal(["h.0.attn.c_attn", "h.0.mlp.c_proj", "h.1.attn.c_attn", "h.1.mlp.c_proj"], lora.Layers().Select(l => l.Name));
        using var after = Logits(model);
        Assert.True(before.eq(after).all().item<bool>(), "B starts at zero, so a fresh adapter changes no bit of the logits");

        // r·(in + out) per layer: c_attn 16 -> 48, mlp.c_proj 64 -> 16.
        long adapterCount = 2 * (4 * (16 + 48) + 4 * (64 + 16));
        var counts = lora.Trainable();
        Assert.Equal(adapterCount, counts.Trainable);
        Assert.Equal(baseCount + adapterCount, counts.Total);
        Assert.Equal(adapterCount * 2 * sizeof(float), counts.OptimizerStateBytes);
        Assert.InRange(counts.Share, 0.01, 0.5);
        foreach (var (name, parameter) in model.named_parameters())
            Assert.True(parameter.requires_grad == name.Contains(".lora_", StringComparison.Ordinal), $"{name}: requires_grad {parameter.requires_grad}");
        Assert.Equal(adapterCount, lora.AdapterParameters().Sum(p => p.numel()));

        var names = model.state_dict().Keys.ToHashSet(StringComparer.Ordinal);
        Assert.Contains("h.0.attn.c_attn.base_layer.weight", names);
        Assert.Contains("h.0.attn.c_attn.lora_A.default.weight", names);
        Assert.Contains("h.1.mlp.c_proj.lora_B.default.weight", names);

        // A is kaiming-uniform(a = √5): inside ±1/√fan_in and reaching most of the way there; B is zero.
        var (a, b) = lora.Layers()[1].Layer.Weights(LoraModel.DefaultAdapter);
        double bound = 1 / Math.Sqrt(64);
        Assert.InRange(a.abs().max().item<float>(), 0.8 * bound, bound);
        Assert.Equal(0f, b.abs().max().item<float>());
    }

    [Fact]
    public void The_same_seed_gives_the_same_adapter_and_another_seed_a_different_one()
    {
        using var first = Tiny.Model();
        using var second = Tiny.Model();
        using var third = Tiny.Model();
        var config = new LoraConfig(Rank: 2, TargetRegex: @"h\.\d+\.attn\..*");
        var (a1, _) = LoraModel.Apply(first, config, seed: 5).Layers()[0].Layer.Weights("default");
        var (a2, _) = LoraModel.Apply(second, config, seed: 5).Layers()[0].Layer.Weights("default");
        var (a3, _) = LoraModel.Apply(third, config, seed: 6).Layers()[0].Layer.Weights("default");
        Assert.True(a1.eq(a2).all().item<bool>());
        Assert.False(a1.eq(a3).all().item<bool>());
        Assert.Equal(4, LoraModel.Apply(Tiny.Model(), config, seed: 5).Layers().Count); // c_attn and c_proj of both blocks
    }

    [Fact]
    public void Merged_logits_match_base_plus_adapter_and_unmerge_restores_the_base_bit_for_bit()
    {
        using var model = Tiny.Model(Tiny.Config(tied: false));
        var originals = model.Projections().ToDictionary(p => p.Name, p => ((Linear)p.Layer).weight!.detach().clone());
        var lora = LoraModel.Apply(model, new LoraConfig(Rank: 4, Alpha: 16, TargetModules: ["c_attn", "c_proj", "c_fc"]), seed: 2);
        Perturb(lora, 3);
        using var adapted = Logits(model);

        lora.Merge();
        Assert.True(lora.IsMerged);
        using var merged = Logits(model);
        double difference = (merged - adapted).abs().max().item<float>();
        Assert.True(difference <= 1e-5, $"merged logits differ from base + adapter by {difference}");
        Assert.All(lora.Layers(), l => Assert.False(l.Layer.BaseLayer.weight!.eq(originals[l.Name]).all().item<bool>(), $"merging left {l.Name} unchanged"));
        Assert.Throws<InvalidOperationException>(() => lora.SetAdapter("default"));

        lora.Unmerge();
        Assert.False(lora.IsMerged);
        foreach (var (name, layer) in lora.Layers())
            Assert.True(layer.BaseLayer.weight!.eq(originals[name]).all().item<bool>(), $"{name}'s base weight is not the original after unmerge");
        using var again = Logits(model);
        Assert.True(again.eq(adapted).all().item<bool>(), "after unmerge the adapter path gives the same bits as before merging");
    }

    [Fact]
    public void Disabling_runs_the_bare_base_and_merge_and_unload_leaves_a_plain_model()
    {
        using var model = Tiny.Model();
        using var bare = Logits(model);
        var lora = LoraModel.Apply(model, new LoraConfig(Rank: 2, TargetModules: ["c_attn", "c_fc"]), seed: 4);
        Perturb(lora, 5);
        using var adapted = Logits(model);
        Assert.False(adapted.eq(bare).all().item<bool>());
        using (lora.DisableAdapters())
        {
            using var disabled = Logits(model);
            Assert.True(disabled.eq(bare).all().item<bool>(), "with adapters disabled the logits are the base's, bit for bit");
        }
        using var enabled = Logits(model);
        Assert.True(enabled.eq(adapted).all().item<bool>());

        var plain = lora.MergeAndUnload();
        Assert.All(plain.Projections(), p => Assert.IsType<Linear>(p.Layer));
        Assert.All(plain.parameters(), p => Assert.True(p.requires_grad));
        Assert.DoesNotContain(plain.state_dict().Keys, k => k.Contains("lora_", StringComparison.Ordinal) || k.Contains("base_layer", StringComparison.Ordinal));
        using var unloaded = Logits(plain);
        Assert.True((unloaded - adapted).abs().max().item<float>() <= 1e-5);
    }

    [Fact]
    public void Several_named_adapters_share_one_base_and_switch()
    {
        using var model = Tiny.Model();
        var lora = LoraModel.Apply(model, new LoraConfig(Rank: 2, TargetModules: ["c_attn"]), "facts", seed: 1);
        Perturb(lora, 1);
        using var facts = Logits(model);
        lora.AddAdapter("skills", new LoraConfig(Rank: 4, Alpha: 4, TargetModules: ["c_attn", "c_fc"]), seed: 2);
        Assert.Equal("skills", lora.ActiveAdapter);
        using (no_grad())
        {
            foreach (var (_, layer) in lora.Layers().Where(l => l.Layer.Adapters.Contains("skills")))
                layer.Weights("skills").B.fill_(0.05);
        }
        using var skills = Logits(model);
        Assert.False(skills.eq(facts).all().item<bool>());
        Assert.Equal(["h.0.attn.c_attn", "h.0.mlp.c_fc", "h.1.attn.c_attn", "h.1.mlp.c_fc"], lora.Layers().Select(l => l.Name));
        foreach (var (name, parameter) in model.named_parameters())
            Assert.True(parameter.requires_grad == name.Contains(".skills.", StringComparison.Ordinal), $"{name}: only the active adapter trains");

        lora.SetAdapter("facts");
        using var back = Logits(model);
        Assert.True(back.eq(facts).all().item<bool>(), "switching back gives the first adapter's logits again");
        lora.Merge(); // facts has no update for the c_fc layers that skills added: they stay as they are
        using (var merged = Logits(model))
            Assert.True((merged - facts).abs().max().item<float>() <= 1e-5);
        lora.Unmerge();
        Assert.Equal(2 * 2 * (16 + 48), lora.Trainable().Trainable);
        var error = Assert.Throws<ArgumentException>(() => lora.SetAdapter("style"));
        Assert.Contains("'facts'", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => lora.AddAdapter("facts", new LoraConfig()));
        Assert.Throws<ArgumentException>(() => lora.AddAdapter("none", new LoraConfig(TargetModules: ["q_proj"])));
    }

    [Fact]
    public void Training_only_the_adapter_lowers_the_loss_and_leaves_the_base_bit_identical()
    {
        using var model = Tiny.Model();
        // At GPT-2's init the tied head reads the unit-scale LayerNorm output through rows of norm ~0.08, so no logit
        // can move more than ~0.3 whatever an adapter does; a trained embedding's scale lets the frozen head express
        // what the adapters learn.
        using (no_grad())
            model.get_parameter("wte.weight")!.mul_(25);
        var frozen = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        var lora = LoraModel.Apply(model, new LoraConfig(Rank: 4, Alpha: 16, Dropout: 0.1, TargetModules: ["c_attn", "c_proj", "c_fc"]), seed: 9);
        model.train();
        using var ids = Tiny.Ids([3, 4, 3, 4, 3, 4, 3, 4], [4, 3, 4, 3, 4, 3, 4, 3]); // alternation: learnable from the current token alone
        using var optimizer = optim.AdamW(lora.AdapterParameters(), lr: 0.01);
        var (first, last) = PeftTraining.Run(model, optimizer, ids, 60);
        Assert.True(last < 0.5 * first, $"loss went from {first} to {last}");
        var now = model.named_parameters().ToDictionary(p => p.name.Replace(".base_layer", "", StringComparison.Ordinal), p => p.parameter);
        foreach (var (name, original) in frozen)
            Assert.True(now[name].eq(original).all().item<bool>(), $"{name} changed although only the adapter trains");
    }
}
