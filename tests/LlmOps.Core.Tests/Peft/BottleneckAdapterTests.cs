using LlmOps.Core.Modeling;
using LlmOps.Core.Peft;
using LlmOps.Core.Tests.Modeling;
using static TorchSharp.torch;

namespace LlmOps.Core.Tests.Peft;

public class BottleneckAdapterTests
{
    [Fact]
    public void Adapters_start_as_the_identity_and_count_their_parameters()
    {
        using var model = Tiny.Model();
        using var ids = Tiny.Ids([1, 2, 3, 4, 5]);
        using var before = model.call(ids);
        long baseCount = model.ParameterCount();

        var peft = BottleneckAdapterModel.Apply(model, new BottleneckConfig(Size: 4), seed: 1);

        using var after = model.call(ids);
        Assert.True(before.eq(after).all().item<bool>(), "up starts at zero, so the adapters change no bit of the logits");
        Assert.Equal(PeftMethod.Adapter, peft.Method);
        long perAdapter = 16 * 4 + 4 + 4 * 16 + 16; // down (weight, bias) + up (weight, bias), width 16
        var counts = peft.Trainable();
        Assert.Equal(4 * perAdapter, counts.Trainable); // attn.c_proj and mlp.c_proj in two blocks
        Assert.Equal(baseCount + counts.Trainable, counts.Total);
        Assert.Equal(counts.Trainable * 2 * sizeof(float), counts.OptimizerStateBytes);
        Assert.Equal(counts.Trainable, peft.AdapterParameters().Sum(p => p.numel()));
        foreach (var (name, parameter) in model.named_parameters())
            Assert.True(parameter.requires_grad == name.Contains(".adapter_", StringComparison.Ordinal), $"{name}: requires_grad {parameter.requires_grad}");
        Assert.Throws<ArgumentException>(() => BottleneckAdapterModel.Apply(Tiny.Model(), new BottleneckConfig(TargetModules: ["q_proj"])));
    }

    [Fact]
    public void Training_only_the_adapters_lowers_the_loss_and_leaves_the_base_bit_identical()
    {
        using var model = Tiny.Model();
        using (no_grad())
            model.get_parameter("wte.weight")!.mul_(25); // see LoraTests: GPT-2's init leaves the frozen tied head too weak to learn through
        var frozen = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        var peft = BottleneckAdapterModel.Apply(model, new BottleneckConfig(Size: 8), seed: 3);
        model.train();
        using var ids = Tiny.Ids([3, 4, 3, 4, 3, 4, 3, 4], [4, 3, 4, 3, 4, 3, 4, 3]);
        using var optimizer = optim.AdamW(peft.AdapterParameters(), lr: 0.01);
        var (first, last) = PeftTraining.Run(model, optimizer, ids, 60);
        Assert.True(last < 0.5 * first, $"loss went from {first} to {last}");
        var now = model.named_parameters().ToDictionary(p => p.name.Replace(".base_layer", "", StringComparison.Ordinal), p => p.parameter);
        foreach (var (name, original) in frozen)
            Assert.True(now[name].eq(original).all().item<bool>(), $"{name} changed although only the adapters train");
    }
}
