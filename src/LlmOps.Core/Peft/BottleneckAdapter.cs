using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace LlmOps.Core.Peft;

/// <summary>A frozen projection followed by a bottleneck adapter with its own residual: y = h + up(gelu(down(h))),
/// h = base(x). Down starts kaiming-uniform and up at zero, so at first y = h exactly.</summary>
public sealed class BottleneckAdapter : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "base_layer")] readonly nn.Module<Tensor, Tensor> baseLayer;
    [ComponentName(Name = "adapter_down")] readonly Linear down;
    [ComponentName(Name = "adapter_up")] readonly Linear up;

    /// <summary>Follows <paramref name="baseLayer"/>, whose output width is <paramref name="width"/>, with a
    /// bottleneck of <paramref name="size"/>, drawing down's weights from <paramref name="generator"/>.</summary>
    public BottleneckAdapter(nn.Module<Tensor, Tensor> baseLayer, long width, int size, Generator? generator) : base(nameof(BottleneckAdapter))
    {
        ArgumentNullException.ThrowIfNull(baseLayer);
        this.baseLayer = baseLayer;
        var reference = baseLayer.parameters().First();
        down = nn.Linear(new Parameter(empty(size, width, dtype: reference.dtype, device: reference.device)),
            new Parameter(zeros(size, dtype: reference.dtype, device: reference.device)));
        up = nn.Linear(new Parameter(zeros(width, size, dtype: reference.dtype, device: reference.device)),
            new Parameter(zeros(width, dtype: reference.dtype, device: reference.device)));
        using (no_grad())
            down.weight!.uniform_(-1.0 / Math.Sqrt(width), 1.0 / Math.Sqrt(width), generator);
        RegisterComponents();
    }

    /// <summary>The adapter's own parameters (down and up, weights and biases).</summary>
    public IReadOnlyList<Parameter> AdapterParameters() => [down.weight!, down.bias!, up.weight!, up.bias!];

    /// <summary>The projection's output plus the adapter's correction of it.</summary>
    public override Tensor forward(Tensor input)
    {
        // Intermediates are freed now, not at the end of the caller's dispose scope (see LoraLinear.forward); autograd
        // keeps what it saved. Not in place: down saved h for its weight gradient.
        using var h = baseLayer.call(input);
        using var inner = down.call(h);
        using var activated = nn.functional.gelu(inner);
        using var correction = up.call(activated);
        return h + correction;
    }
}
