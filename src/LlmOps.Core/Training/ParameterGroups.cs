using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LlmOps.Core.Training;

/// <summary>
/// nanoGPT's <c>configure_optimizers</c>: every tensor with two or more dimensions (matmul weights, embeddings) is
/// weight-decayed, every vector (biases, LayerNorm gains) is not. Decaying a gain pulls it toward zero and a bias
/// toward the origin, which only hurts; decaying matrices is the regulariser AdamW is for.
/// </summary>
public static class ParameterGroups
{
    /// <summary>The split for <paramref name="model"/>'s trainable parameters, by name (a tied GPT's shared weight appears
    /// once, as <c>wte.weight</c>; frozen parameters not at all).</summary>
    public static ParameterGroupSplit Split(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var decay = new List<string>();
        var noDecay = new List<string>();
        long decayCount = 0, noDecayCount = 0;
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (!parameter.requires_grad)
                continue;
            if (parameter.dim() >= 2)
            {
                decay.Add(name);
                decayCount += parameter.numel();
            }
            else
            {
                noDecay.Add(name);
                noDecayCount += parameter.numel();
            }
        }
        return new ParameterGroupSplit(decay, noDecay, decayCount, noDecayCount);
    }

    /// <summary>AdamW over <paramref name="model"/> with the decay group first and the no-decay group second (weight
    /// decay 0), both at <paramref name="learningRate"/>; the trainer sets each group's rate every step.</summary>
    public static AdamW CreateAdamW(nn.Module model, double learningRate, double weightDecay, double beta1, double beta2)
    {
        ArgumentNullException.ThrowIfNull(model);
        var split = Split(model);
        var byName = model.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        var groups = new[]
        {
            new AdamW.ParamGroup(split.Decay.Select(n => byName[n]).ToList(), lr: learningRate, beta1: beta1, beta2: beta2, weight_decay: weightDecay),
            new AdamW.ParamGroup(split.NoDecay.Select(n => byName[n]).ToList(), lr: learningRate, beta1: beta1, beta2: beta2, weight_decay: 0),
        };
        return optim.AdamW(groups, lr: learningRate, beta1: beta1, beta2: beta2, weight_decay: weightDecay);
    }
}
