using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace LlmOps.Core.Peft;

/// <summary>
/// A frozen linear layer plus named low-rank updates, as peft's <c>lora.Linear</c>: y = W·x + b + (alpha/r)·B·A·dropout(x)
/// for the active adapter. A starts kaiming-uniform (a = √5, peft's default) and B at zero, so a fresh adapter leaves
/// the output unchanged and training moves it away from the base smoothly.
/// </summary>
/// <remarks>State-dict names follow peft: <c>base_layer.weight</c>, <c>lora_A.&lt;adapter&gt;.weight</c>,
/// <c>lora_B.&lt;adapter&gt;.weight</c>. Merging adds the active update into the base weight (inference without the
/// extra matmuls) and keeps the pre-merge weight, so unmerging restores it bit for bit.</remarks>
public sealed class LoraLinear : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "base_layer")] readonly Linear baseLayer;
    [ComponentName(Name = "lora_A")] readonly ModuleDict<Linear> loraA = new();
    [ComponentName(Name = "lora_B")] readonly ModuleDict<Linear> loraB = new();
    [ComponentName(Name = "lora_dropout")] readonly ModuleDict<nn.Module<Tensor, Tensor>> dropouts = new();
    readonly Dictionary<string, double> scales = new(StringComparer.Ordinal);
    Tensor? premerge;

    /// <summary>Wraps <paramref name="baseLayer"/> (its parameters are not copied: the wrapper uses them in place).</summary>
    public LoraLinear(Linear baseLayer) : base(nameof(LoraLinear))
    {
        ArgumentNullException.ThrowIfNull(baseLayer);
        this.baseLayer = baseLayer;
        RegisterComponents();
    }

    /// <summary>The wrapped linear layer.</summary>
    public Linear BaseLayer => baseLayer;

    /// <summary>Input features of the base layer.</summary>
    public long InFeatures => baseLayer.weight!.shape[1];

    /// <summary>Output features of the base layer.</summary>
    public long OutFeatures => baseLayer.weight!.shape[0];

    /// <summary>The adapter the forward pass adds; null adds none (adapters disabled, or none on this layer).</summary>
    public string? ActiveAdapter { get; internal set; }

    /// <summary>The adapter merged into the base weight, or null.</summary>
    public string? MergedAdapter { get; private set; }

    /// <summary>The adapters this layer holds.</summary>
    public IReadOnlyCollection<string> Adapters => scales.Keys;

    /// <summary>Adds adapter <paramref name="name"/> with A kaiming-uniform drawn from <paramref name="generator"/>
    /// (null: libtorch's global generator) and B zero, on the base weight's device and dtype, trainable.</summary>
    public void AddAdapter(string name, LoraConfig config, Generator? generator)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(config);
        if (scales.ContainsKey(name))
            throw new ArgumentException($"This layer already has a LoRA adapter named '{name}'.", nameof(name));
        var weight = baseLayer.weight!;
        var a = nn.Linear(new Parameter(empty(config.Rank, InFeatures, dtype: weight.dtype, device: weight.device)));
        var b = nn.Linear(new Parameter(zeros(OutFeatures, config.Rank, dtype: weight.dtype, device: weight.device)));
        using (no_grad())
        {
            // kaiming_uniform_(a=√5) as peft (and nn.Linear) use: gain √(2/(1+5)), bound gain·√(3/fan_in) = 1/√fan_in.
            double bound = 1.0 / Math.Sqrt(InFeatures);
            a.weight!.uniform_(-bound, bound, generator);
        }
        Add(loraA, name, a);
        Add(loraB, name, b);
        Add(dropouts, name, config.Dropout > 0 ? nn.Dropout(config.Dropout) : nn.Identity());
        scales[name] = config.Scale;
    }

    // ModuleDict registers its entries only once, when its parent registers it (empty, here), so later additions
    // must be registered by hand to appear in parameters() and the state dict.
    static void Add<T>(ModuleDict<T> dict, string name, T module) where T : nn.Module
    {
        dict.Add((name, module));
        dict.register_module(name, module);
    }

    /// <summary>Adapter <paramref name="name"/>'s A [r, in] and B [out, r] weights.</summary>
    public (Parameter A, Parameter B) Weights(string name) =>
        scales.ContainsKey(name) ? (loraA[name].weight!, loraB[name].weight!)
            : throw new ArgumentException($"This layer has no LoRA adapter named '{name}'.", nameof(name));

    /// <summary>Adapter <paramref name="name"/>'s update to the base weight: (alpha/r)·B·A, [out, in].</summary>
    public Tensor Delta(string name)
    {
        var (a, b) = Weights(name);
        return b.matmul(a).mul(scales[name]);
    }

    /// <summary>Adds the active adapter's update into the base weight, keeping the weight it replaces for <see cref="Unmerge"/>.</summary>
    public void Merge()
    {
        if (MergedAdapter is not null || ActiveAdapter is null || !scales.ContainsKey(ActiveAdapter))
            return; // already merged, disabled, or the active adapter does not target this layer
        using var noGrad = no_grad();
        var weight = baseLayer.weight!;
        premerge = weight.detach().clone().DetachFromDisposeScope();
        using var delta = Delta(ActiveAdapter);
        weight.add_(delta);
        MergedAdapter = ActiveAdapter;
    }

    /// <summary>Puts back the base weight as it was before <see cref="Merge"/>, bit for bit.</summary>
    public void Unmerge()
    {
        if (premerge is null)
            return;
        using (no_grad())
            baseLayer.weight!.copy_(premerge);
        premerge.Dispose();
        premerge = null;
        MergedAdapter = null;
    }

    /// <summary>Merges the active adapter for good, frees the adapters and returns the base layer, which lives on
    /// (disposing this wrapper instead would dispose the base layer with it).</summary>
    internal Linear MergeAndRelease()
    {
        Merge();
        premerge?.Dispose();
        premerge = null;
        MergedAdapter = null;
        ActiveAdapter = null;
        foreach (var dict in new nn.Module[] { loraA, loraB, dropouts })
            dict.Dispose();
        scales.Clear();
        return baseLayer;
    }

    /// <summary>The base layer's output plus the active adapter's scaled update (none when merged or disabled).</summary>
    public override Tensor forward(Tensor input)
    {
        var result = baseLayer.call(input);
        if (MergedAdapter is not null || ActiveAdapter is not { } name || !scales.TryGetValue(name, out double scale))
            return result;
        // In place, and the intermediates freed now rather than at the end of the caller's dispose scope: a
        // TorchSharp temporary otherwise lives until then, and three extra [batch, time, out] tensors per wrapped layer
        // would cost more memory than LoRA saves. add_ is safe for autograd: the base linear does not keep its output.
        using var hidden = loraA[name].call(dropouts[name].call(input));
        using var update = loraB[name].call(hidden);
        return result.add_(update, scale);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            premerge?.Dispose();
            premerge = null;
        }
        base.Dispose(disposing);
    }
}
