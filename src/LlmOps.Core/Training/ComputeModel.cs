using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LlmOps.Core.Training;

/// <summary>
/// The model the passes run on. In fp32 that is the master model itself. In bf16 it is a bf16 twin: TorchSharp 0.107
/// has no <c>torch.autocast</c>, so the trainer does by hand what mixed-precision training does (Micikevicius et al.,
/// 2018; bf16 needs no loss scaling): the optimizer owns fp32 master weights, each step copies them into the twin,
/// forward and backward run in bf16, the loss is taken in fp32, and each micro-batch's bf16 gradients are added into
/// fp32 master gradients, so accumulation and the update keep full precision.
/// </summary>
/// <typeparam name="TModel">The model type; the task builds the twin (<see cref="ITrainingTask{TModel, TBatch}.CreateTwin"/>).</typeparam>
sealed class ComputeModel<TModel> : IDisposable where TModel : nn.Module
{
    readonly TModel master;
    readonly TModel? twin;
    readonly (Parameter Master, Parameter Twin)[] pairs;

    /// <param name="master">The fp32 model the optimizer owns.</param>
    /// <param name="twin">A fresh model of the master's shape for bf16 passes, or null for fp32 passes on the master.</param>
    /// <param name="device">Where the passes run.</param>
    public ComputeModel(TModel master, TModel? twin, Device device)
    {
        this.master = master;
        if (twin is null)
        {
            pairs = [];
            return;
        }
        this.twin = twin;
        twin.to(ScalarType.BFloat16).to(device);
        var twinParameters = twin.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        // A twin built from a config has the plain layers; a model whose layers were replaced (Gpt.ReplaceLinear: LoRA,
        // adapters) has parameters it lacks.
        if (master.named_parameters().FirstOrDefault(p => !twinParameters.ContainsKey(p.name)) is { name: { } extra })
        {
            twin.Dispose();
            throw new NotSupportedException($"bf16 passes need a twin of the model, but the model has '{extra}', which the twin lacks (a replaced projection?); train it with Precision Fp32.");
        }
        pairs = [.. master.named_parameters().Select(p => (p.parameter, twinParameters[p.name]))];
        using var noGrad = no_grad();
        foreach (var (m, _) in pairs)
        {
            // Master gradients exist from the start, so micro-batches can add into them.
            using var zeros = zeros_like(m);
            m.grad = zeros;
        }
    }

    /// <summary>Whether the passes run in bf16.</summary>
    public bool IsBFloat16 => twin is not null;

    /// <summary>The model to call.</summary>
    public TModel Model => twin ?? master;

    /// <summary>Copies the master weights into the twin (before a step's passes, and before an evaluation).</summary>
    public void PullWeights()
    {
        if (twin is null)
            return;
        using var noGrad = no_grad();
        foreach (var (m, t) in pairs)
            t.copy_(m);
    }

    /// <summary>Adds the twin's gradients of the last backward pass into the master gradients, in fp32, and clears them.</summary>
    public void PushGradients()
    {
        if (twin is null)
            return;
        using var noGrad = no_grad();
        foreach (var (m, t) in pairs)
        {
            using var twinGrad = t.grad;
            if (twinGrad is null)
                continue;
            using var masterGrad = m.grad!;
            masterGrad.add_(twinGrad);
            twinGrad.zero_();
        }
    }

    /// <summary>Switches dropout on or off in the model that runs.</summary>
    public void Train(bool on)
    {
        Model.train(on);
    }

    public void Dispose() => twin?.Dispose();
}
