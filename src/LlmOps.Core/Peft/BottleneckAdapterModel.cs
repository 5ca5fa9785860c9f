using LlmOps.Core.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LlmOps.Core.Peft;

/// <summary>Bottleneck adapters on a <see cref="Gpt"/> (see <see cref="BottleneckConfig"/>): every base parameter
/// frozen, a <see cref="BottleneckAdapter"/> after each targeted projection, only the adapters training.</summary>
public sealed class BottleneckAdapterModel : IPeftModel
{
    readonly List<BottleneckAdapter> adapters;

    BottleneckAdapterModel(Gpt model, List<BottleneckAdapter> adapters)
    {
        Model = model;
        this.adapters = adapters;
    }

    /// <summary>Freezes <paramref name="model"/> and inserts an adapter after each targeted projection.</summary>
    /// <param name="model">The base; changed in place.</param>
    /// <param name="config">Bottleneck size and targets.</param>
    /// <param name="seed">Seeds the down projections' draw; null draws from libtorch's global generator.</param>
    /// <exception cref="ArgumentException">The config targets nothing.</exception>
    public static BottleneckAdapterModel Apply(Gpt model, BottleneckConfig config, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (!model.Projections().Any(p => config.IsTarget(p.Name)))
            throw new ArgumentException($"The adapter targets ({string.Join(", ", config.Targets)}) match none of the model's projections.", nameof(config));
        foreach (var parameter in model.parameters())
            parameter.requires_grad = false;
        using var generator = seed is { } s ? new Generator((ulong)s) : null;
        var adapters = new List<BottleneckAdapter>();
        model.ReplaceLinear((name, _) => config.IsTarget(name), (_, layer) =>
        {
            long width = layer.parameters().First().shape[0]; // a projection's weight is [out, in]
            var adapter = new BottleneckAdapter(layer, width, config.Size, generator);
            adapters.Add(adapter);
            return adapter;
        });
        return new BottleneckAdapterModel(model, adapters);
    }

    /// <inheritdoc/>
    public PeftMethod Method => PeftMethod.Adapter;

    /// <inheritdoc/>
    public Gpt Model { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> AdapterParameters() => [.. adapters.SelectMany(a => a.AdapterParameters())];

    /// <inheritdoc/>
    public TrainableParameters Trainable() => TrainableParameters.Of(Model);
}
