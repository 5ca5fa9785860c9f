using System.Text.Json.Nodes;
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

    BottleneckAdapterModel(Gpt model, BottleneckConfig config, List<BottleneckAdapter> adapters)
    {
        Model = model;
        Config = config;
        this.adapters = adapters;
    }

    /// <summary>The adapters' size and targets.</summary>
    public BottleneckConfig Config { get; }

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
        return new BottleneckAdapterModel(model, config, adapters);
    }

    /// <inheritdoc/>
    public PeftMethod Method => PeftMethod.Adapter;

    /// <inheritdoc/>
    public Gpt Model { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> AdapterParameters() => [.. adapters.SelectMany(a => a.AdapterParameters())];

    /// <inheritdoc/>
    public TrainableParameters Trainable() => TrainableParameters.Of(Model);

    /// <summary>The adapters by projection full name (<c>h.0.attn.c_proj</c>), in model order.</summary>
    public IReadOnlyList<(string Name, BottleneckAdapter Adapter)> Adapters() =>
        [.. Model.Projections().Where(p => p.Layer is BottleneckAdapter).Select(p => (p.Name, (BottleneckAdapter)p.Layer))];

    /// <summary>Saves the adapters in peft's folder layout under our <c>peft_type</c>
    /// <see cref="PeftAdapterFolder.BottleneckType"/> (see <see cref="PeftAdapterFolder"/>).</summary>
    public void Save(string folder, string? baseModelNameOrPath = null)
    {
        var config = PeftAdapterFolder.Config(PeftAdapterFolder.BottleneckType, baseModelNameOrPath, new JsonObject
        {
            ["bottleneck_size"] = Config.Size,
            ["non_linearity"] = "gelu",
            ["target_modules"] = new JsonArray([.. Config.Targets.Select(t => JsonValue.Create(t))]),
        });
        var tensors = Adapters().SelectMany(a => a.Adapter.named_parameters()
            .Where(p => p.name.StartsWith("adapter_", StringComparison.Ordinal))
            .Select(p => (TensorName(a.Name, p.name), (Tensor)p.parameter.detach().cpu()))).ToList();
        AdapterFiles.Write(folder, config, tensors);
    }

    /// <summary>Applies the adapters saved in <paramref name="folder"/> to <paramref name="model"/>; everything is
    /// checked before the model changes.</summary>
    /// <exception cref="FileNotFoundException">A file of the layout is missing.</exception>
    /// <exception cref="InvalidDataException">The files do not fit the model; the message names the file and the key or tensor.</exception>
    public static BottleneckAdapterModel FromPretrained(Gpt model, string folder)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (configPath, weightsPath) = AdapterFiles.Paths(folder, "bottleneck");
        var json = AdapterFiles.Read(configPath);
        if (AdapterFiles.String(json, configPath, "peft_type") is var type && type != PeftAdapterFolder.BottleneckType)
            throw new InvalidDataException($"{configPath}: peft_type is '{type}'; only {PeftAdapterFolder.BottleneckType} loads here.");
        if (AdapterFiles.String(json, configPath, "non_linearity") is { } activation && activation != "gelu")
            throw new InvalidDataException($"{configPath}: non_linearity is '{activation}'; these adapters use gelu.");
        int size = AdapterFiles.Integer(json, configPath, "bottleneck_size", required: true)!.Value;
        var targets = json["target_modules"] is JsonArray list
            ? list.Select(n => n is JsonValue v && v.TryGetValue<string>(out var t) ? t : throw AdapterFiles.Bad(configPath, "target_modules", "holds a non-string")).ToList()
            : throw AdapterFiles.Bad(configPath, "target_modules", "must be a list of module names");
        BottleneckConfig config;
        try
        {
            config = new BottleneckConfig(size, targets).Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{configPath}: {e.Message}", e);
        }
        var expected = new Dictionary<string, (string, long[])>(StringComparer.Ordinal);
        foreach (var (full, layer) in model.Projections().Where(p => config.IsTarget(p.Name)))
        {
            long width = layer.parameters().First().shape[0];
            string what = $"the bottleneck adapter of {full} with size {size}";
            expected[TensorName(full, "adapter_down.weight")] = (what, [size, width]);
            expected[TensorName(full, "adapter_down.bias")] = (what, [size]);
            expected[TensorName(full, "adapter_up.weight")] = (what, [width, size]);
            expected[TensorName(full, "adapter_up.bias")] = (what, [width]);
        }
        if (expected.Count == 0)
            throw new InvalidDataException($"{configPath}: target_modules ({string.Join(", ", targets)}) match none of the model's projections.");
        using var content = SafeTensors.Read(weightsPath);
        AdapterFiles.CheckTensors(weightsPath, content, expected);

        var peft = Apply(model, config, seed: 0); // seeded so loading draws nothing from the global generator; every value is overwritten
        using var noGrad = no_grad();
        foreach (var (name, adapter) in peft.Adapters())
        {
            foreach (var (parameterName, parameter) in adapter.named_parameters().Where(p => p.name.StartsWith("adapter_", StringComparison.Ordinal)))
                parameter.copy_(content.Tensors[TensorName(name, parameterName)]);
        }
        return peft;
    }

    static string TensorName(string projection, string parameter) => $"{LoraAdapterFolder.PeftPrefix}{LoraAdapterFolder.TransformerPrefix}{projection}.{parameter}";
}
