using LlmOps.Core.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LlmOps.Core.Tests.Modeling;

public class SwappableLinearTests
{
    /// <summary>A stand-in for a LoRA wrapper: the original layer inside, counted calls.</summary>
    sealed class Wrapped : nn.Module<Tensor, Tensor>
    {
        [TorchSharp.Utils.ComponentName(Name = "base")] readonly nn.Module<Tensor, Tensor> inner;

        public Wrapped(nn.Module<Tensor, Tensor> inner) : base(nameof(Wrapped))
        {
            this.inner = inner;
            RegisterComponents();
        }

        public int Calls { get; private set; }

        public override Tensor forward(Tensor input)
        {
            Calls++;
            return inner.call(input);
        }
    }

    [Fact]
    public void A_projection_swapped_for_a_wrapper_is_used_keeps_the_logits_and_appears_under_its_name()
    {
        using var model = new Gpt(new GptConfig(VocabSize: 50, BlockSize: 16, Layers: 2, Heads: 2, EmbeddingSize: 32), seed: 5);
        model.eval();
        Assert.Equal(["h.0.attn.c_attn", "h.0.attn.c_proj", "h.0.mlp.c_fc", "h.0.mlp.c_proj", "h.1.attn.c_attn", "h.1.attn.c_proj", "h.1.mlp.c_fc", "h.1.mlp.c_proj"],
            model.Projections().Select(p => p.Name));
        long parameters = model.ParameterCount();
        using var ids = tensor(new long[] { 1, 2, 3, 4, 5 }, [1, 5]);
        using var before = model.call(ids);

        var wrappers = new List<Wrapped>();
        var replaced = model.ReplaceLinear((name, layer) => name.EndsWith(".attn.c_attn", StringComparison.Ordinal) && layer is Linear,
            (_, layer) =>
            {
                var wrapped = new Wrapped(layer);
                wrappers.Add(wrapped);
                return wrapped;
            });
        using var after = model.call(ids);

        Assert.Equal(["h.0.attn.c_attn", "h.1.attn.c_attn"], replaced);
        Assert.True(before.eq(after).all().item<bool>(), "the wrapper computes what the linear did, so the logits are the same bits");
        Assert.All(wrappers, w => Assert.Equal(1, w.Calls)); // the forward pass goes through the replacement
        var names = model.state_dict().Keys.ToHashSet(StringComparer.Ordinal);
        Assert.Contains("h.1.attn.c_attn.base.weight", names);
        Assert.DoesNotContain("h.1.attn.c_attn.weight", names);
        Assert.Equal(parameters, model.ParameterCount());
        Assert.IsType<Wrapped>(model.Projections().Single(p => p.Name == "h.0.attn.c_attn").Layer);
        var host = (ILinearHost)model.named_modules().Single(m => m.name == "h.0.mlp").module;
        Assert.Throws<ArgumentException>(() => host.Replace("c_attn", new Wrapped(nn.Linear(2, 2))));
    }

    [Fact]
    public void Initialisation_is_by_module_type_and_scales_the_residual_projections_by_depth()
    {
        using var model = new Gpt(new GptConfig(VocabSize: 400, BlockSize: 16, Layers: 4, Heads: 2, EmbeddingSize: 64, TiedEmbeddings: false), seed: 1);
        double residual = Gpt.InitStd / Math.Sqrt(2 * 4);
        foreach (var (name, parameter) in model.named_parameters())
        {
            double std = parameter.std().item<float>(), mean = parameter.mean().item<float>();
            if (name.EndsWith(".bias", StringComparison.Ordinal))
                Assert.True(parameter.abs().max().item<float>() == 0, $"{name} should start at zero");
            else if (name.StartsWith("ln_", StringComparison.Ordinal) || name.Contains(".ln_", StringComparison.Ordinal))
                Assert.True(parameter.eq(1).all().item<bool>(), $"{name} should start at one");
            else if (name.EndsWith("c_proj.weight", StringComparison.Ordinal))
                Assert.InRange(std, residual * 0.9, residual * 1.1);
            else
                Assert.InRange(std, Gpt.InitStd * 0.9, Gpt.InitStd * 1.1); // wte, wpe, c_attn, c_fc, lm_head
            if (name.EndsWith(".weight", StringComparison.Ordinal) && !name.Contains("ln_", StringComparison.Ordinal))
                Assert.InRange(mean, -0.002, 0.002);
        }
    }
}
