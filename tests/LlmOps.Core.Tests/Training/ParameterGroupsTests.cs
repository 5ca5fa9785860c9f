using LlmOps.Core.Modeling;
using LlmOps.Core.Training;
using TorchSharp.Modules;

namespace LlmOps.Core.Tests.Training;

public class ParameterGroupsTests
{
    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void Matrices_decay_and_biases_and_layer_norm_gains_do_not(bool bias, bool tied)
    {
        using var model = new Gpt(PretrainTestData.Model() with { Bias = bias, TiedEmbeddings = tied }, seed: 1);
        var split = ParameterGroups.Split(model);

        Assert.Contains("wte.weight", split.Decay);
        Assert.Contains("wpe.weight", split.Decay);
        Assert.Contains("h.0.attn.c_attn.weight", split.Decay);
        Assert.Contains("h.1.mlp.c_proj.weight", split.Decay);
        Assert.Equal(!tied, split.Decay.Contains("lm_head.weight"));
        Assert.Contains("ln_f.weight", split.NoDecay);
        Assert.Contains("h.0.ln_1.weight", split.NoDecay);
        Assert.All(split.NoDecay, name => Assert.True(name.EndsWith(".bias", StringComparison.Ordinal) || name.Contains("ln_", StringComparison.Ordinal), name));
        Assert.Equal(bias, split.NoDecay.Any(n => n.EndsWith(".bias", StringComparison.Ordinal)));
        Assert.Equal(model.ParameterCount(), split.DecayParameters + split.NoDecayParameters);
    }

    [Fact]
    public void The_optimizer_has_a_decay_group_and_a_group_without_decay()
    {
        using var model = new Gpt(PretrainTestData.Model(), seed: 1);
        using var optimizer = ParameterGroups.CreateAdamW(model, learningRate: 3e-4, weightDecay: 0.1, beta1: 0.9, beta2: 0.95);
        var groups = optimizer.ParamGroups.Cast<AdamW.ParamGroup>().ToList();
        var split = ParameterGroups.Split(model);

        Assert.Equal(2, groups.Count);
        Assert.Equal(0.1, groups[0].Options.weight_decay);
        Assert.Equal(0.0, groups[1].Options.weight_decay);
        Assert.Equal(split.Decay.Count, groups[0].Parameters.Count());
        Assert.Equal(split.NoDecay.Count, groups[1].Parameters.Count());
        Assert.All(groups, g => Assert.Equal((0.9, 0.95), (g.Options.beta1!.Value, g.Options.beta2!.Value)));
        Assert.All(groups, g => Assert.Equal(3e-4, g.LearningRate));
    }
}
