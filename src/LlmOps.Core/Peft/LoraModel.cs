using LlmOps.Core.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LlmOps.Core.Peft;

/// <summary>
/// LoRA on a <see cref="Gpt"/>, as peft's <c>PeftModel</c> with a <c>LoraConfig</c>: the targeted projections become
/// <see cref="LoraLinear"/>s (through <see cref="Gpt.ReplaceLinear"/>), every base parameter is frozen, and only the
/// active adapter trains. Several named adapters can live on one base (<see cref="AddAdapter"/>,
/// <see cref="SetAdapter"/>); <see cref="DisableAdapters"/> runs the bare base; <see cref="Merge"/> folds the active
/// adapter into the weights and <see cref="Unmerge"/> takes it out again; <see cref="MergeAndUnload"/> leaves a plain
/// model. The model is changed in place: build the optimizer after applying, over <see cref="AdapterParameters"/>.
/// </summary>
public sealed class LoraModel : IPeftModel
{
    /// <summary>peft's name for the adapter when none is given.</summary>
    public const string DefaultAdapter = "default";

    readonly Dictionary<string, LoraConfig> adapters = new(StringComparer.Ordinal);
    readonly Dictionary<Parameter, bool> frozenFrom = new(ReferenceEqualityComparer.Instance);
    int disabled;

    LoraModel(Gpt model)
    {
        Model = model;
        foreach (var parameter in model.parameters())
        {
            frozenFrom[parameter] = parameter.requires_grad;
            parameter.requires_grad = false;
        }
    }

    /// <summary>Wraps the projections <paramref name="config"/> targets with a fresh adapter named
    /// <paramref name="adapterName"/> and makes it the active, only trainable one.</summary>
    /// <param name="model">The base; changed in place.</param>
    /// <param name="config">Rank, alpha, dropout, targets.</param>
    /// <param name="adapterName">The adapter's name (peft's <c>adapter_name</c>).</param>
    /// <param name="seed">Seeds a private generator for the A matrices, so the same seed gives the same adapter; null
    /// draws from libtorch's global generator.</param>
    /// <exception cref="ArgumentException">The config targets nothing, or a targeted projection is not a linear layer.</exception>
    public static LoraModel Apply(Gpt model, LoraConfig config, string adapterName = DefaultAdapter, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var lora = new LoraModel(model);
        lora.AddAdapter(adapterName, config, seed);
        return lora;
    }

    /// <inheritdoc/>
    public PeftMethod Method => PeftMethod.Lora;

    /// <summary>The model the adapters live in.</summary>
    public Gpt Model { get; }

    /// <summary>The adapters by name, with their configs.</summary>
    public IReadOnlyDictionary<string, LoraConfig> Adapters => adapters;

    /// <summary>The adapter forward passes add (and the one that trains).</summary>
    public string ActiveAdapter { get; private set; } = DefaultAdapter;

    /// <summary>Whether <see cref="Merge"/> has folded the active adapter into the base weights.</summary>
    public bool IsMerged => Layers().Any(l => l.Layer.MergedAdapter is not null);

    /// <summary>The wrapped projections by full name (<c>h.0.attn.c_attn</c>), in model order.</summary>
    public IReadOnlyList<(string Name, LoraLinear Layer)> Layers() =>
        [.. Model.Projections().Where(p => p.Layer is LoraLinear).Select(p => (p.Name, (LoraLinear)p.Layer))];

    /// <summary>Trainable and total parameters of the model now, and AdamW's state bytes for the trainable ones.</summary>
    public TrainableParameters Trainable() => TrainableParameters.Of(Model);

    /// <summary>The parameters that train: the active adapter's A and B matrices (hand these to the optimizer).</summary>
    public IReadOnlyList<Parameter> AdapterParameters() =>
        [.. Layers().Where(l => l.Layer.Adapters.Contains(ActiveAdapter)).SelectMany(l =>
        {
            var (a, b) = l.Layer.Weights(ActiveAdapter);
            return new[] { a, b };
        })];

    /// <summary>Adds another adapter on the same base (peft's <c>add_adapter</c>); it becomes the active one.</summary>
    /// <exception cref="ArgumentException">The name is taken, the config targets nothing, or a target is not linear.</exception>
    /// <exception cref="InvalidOperationException">An adapter is merged (unmerge first).</exception>
    public void AddAdapter(string name, LoraConfig config, int? seed = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (adapters.ContainsKey(name))
            throw new ArgumentException($"There is already a LoRA adapter named '{name}'.", nameof(name));
        RequireUnmerged("add an adapter");
        var targets = Targets(Model, config);
        Model.ReplaceLinear((full, layer) => layer is Linear && targets.Contains(full), (_, layer) => new LoraLinear((Linear)layer));
        using var generator = seed is { } s ? new Generator((ulong)s) : null;
        foreach (var (full, layer) in Layers())
        {
            if (targets.Contains(full))
                layer.AddAdapter(name, config, generator);
        }
        adapters[name] = config;
        SetAdapter(name);
    }

    /// <summary>Makes <paramref name="name"/> the adapter forward passes add and the only one that trains
    /// (peft's <c>set_adapter</c>).</summary>
    /// <exception cref="ArgumentException">No adapter of that name.</exception>
    /// <exception cref="InvalidOperationException">An adapter is merged (unmerge first).</exception>
    public void SetAdapter(string name)
    {
        if (!adapters.ContainsKey(name))
            throw new ArgumentException($"No LoRA adapter named '{name}'; the model has {string.Join(", ", adapters.Keys.Select(k => $"'{k}'"))}.", nameof(name));
        RequireUnmerged("switch adapters");
        ActiveAdapter = name;
        foreach (var (_, layer) in Layers())
        {
            layer.ActiveAdapter = disabled > 0 ? null : name;
            foreach (string adapter in layer.Adapters)
            {
                var (a, b) = layer.Weights(adapter);
                a.requires_grad = b.requires_grad = adapter == name;
            }
        }
    }

    /// <summary>Runs the bare base model until the returned scope is disposed (peft's <c>disable_adapter()</c>
    /// context manager); scopes nest.</summary>
    /// <exception cref="InvalidOperationException">An adapter is merged (unmerge first).</exception>
    public IDisposable DisableAdapters()
    {
        RequireUnmerged("disable adapters");
        disabled++;
        SetAdapter(ActiveAdapter);
        return new AdapterScope(() =>
        {
            disabled--;
            SetAdapter(ActiveAdapter);
        });
    }

    /// <summary>Folds the active adapter into the base weights (W += alpha/r·B·A), so inference costs what the base
    /// costs; the pre-merge weights are kept, so <see cref="Unmerge"/> restores them bit for bit.</summary>
    public void Merge()
    {
        foreach (var (_, layer) in Layers())
            layer.Merge();
    }

    /// <summary>Restores the base weights exactly as they were before <see cref="Merge"/>.</summary>
    public void Unmerge()
    {
        foreach (var (_, layer) in Layers())
            layer.Unmerge();
    }

    /// <summary>Merges the active adapter for good and puts the plain linear layers back (peft's
    /// <c>merge_and_unload</c>); the base parameters get back the trainability they had before LoRA. This
    /// <see cref="LoraModel"/> is spent afterwards.</summary>
    public Gpt MergeAndUnload()
    {
        if (disabled > 0)
            throw new InvalidOperationException("Cannot merge and unload while adapters are disabled: dispose the DisableAdapters scope first.");
        var wrapped = Layers().ToDictionary(l => l.Name, l => l.Layer, StringComparer.Ordinal);
        Model.ReplaceLinear((full, layer) => layer is LoraLinear, (full, _) => wrapped[full].MergeAndRelease());
        foreach (var (parameter, requiresGrad) in frozenFrom)
            parameter.requires_grad = requiresGrad;
        adapters.Clear();
        return Model;
    }

    /// <summary>Saves adapter <paramref name="name"/> (the active one by default) alone, in peft's layout; see
    /// <see cref="LoraAdapterFolder"/>.</summary>
    public void SaveAdapter(string folder, string? name = null, string? baseModelNameOrPath = null)
    {
        name ??= ActiveAdapter;
        if (!adapters.TryGetValue(name, out var config))
            throw new ArgumentException($"No LoRA adapter named '{name}'.", nameof(name));
        var tensors = Layers().Where(l => l.Layer.Adapters.Contains(name))
            .Select(l => (l.Name, l.Layer.Weights(name).A, l.Layer.Weights(name).B)).ToList();
        LoraAdapterFolder.Save(folder, config, tensors.Select(t => (t.Name, (Tensor)t.A, (Tensor)t.B)).ToList(), baseModelNameOrPath, Model.TrainableTokens);
    }

    /// <summary>Saves the active adapter (<see cref="SaveAdapter"/>).</summary>
    public void Save(string folder, string? baseModelNameOrPath = null) => SaveAdapter(folder, null, baseModelNameOrPath);

    /// <summary>Adds the adapter saved in <paramref name="folder"/> (peft's layout) under <paramref name="name"/> and
    /// makes it active (peft's <c>load_adapter</c>). Everything is checked before the model changes.</summary>
    /// <exception cref="InvalidDataException">The files do not fit this model; the message names the file and tensor.</exception>
    public void LoadAdapter(string folder, string name)
    {
        var saved = LoraAdapterFolder.Read(folder, Model);
        try
        {
            AddAdapter(name, saved.Config, seed: 0); // seeded so loading draws nothing from the global generator; A is overwritten anyway
            using var noGrad = no_grad();
            foreach (var (full, layer) in Layers())
            {
                if (!saved.Tensors.TryGetValue(full, out var pair))
                    continue;
                var (a, b) = layer.Weights(name);
                a.copy_(pair.A);
                b.copy_(pair.B);
            }
            if (saved.TokenIds is { } ids)
            {
                // The rows replace the embedding's for every adapter (peft keeps one set per adapter; one is enough here).
                if (Model.TrainableTokens is { } attached && !attached.TokenIds.SequenceEqual(ids))
                    throw new InvalidDataException($"{folder}: its trainable tokens {string.Join(", ", ids)} differ from the ones this model has ({string.Join(", ", attached.TokenIds)}).");
                if (Model.TrainableTokens is null)
                    Model.AttachTrainableTokens(new TrainableTokens(Model.named_parameters().First(p => p.name == "wte.weight").parameter, ids));
                Model.TrainableTokens!.Rows.copy_(saved.TokenRows!);
            }
        }
        finally
        {
            saved.Dispose();
        }
    }

    /// <summary>Applies the adapter saved in <paramref name="folder"/> to <paramref name="model"/> (peft's
    /// <c>PeftModel.from_pretrained</c>).</summary>
    /// <exception cref="InvalidDataException">The files do not fit the model; the message names the file and tensor.</exception>
    public static LoraModel FromPretrained(Gpt model, string folder, string name = DefaultAdapter)
    {
        ArgumentNullException.ThrowIfNull(model);
        using (var check = LoraAdapterFolder.Read(folder, model)) { } // fail before freezing anything
        var lora = new LoraModel(model);
        lora.LoadAdapter(folder, name);
        return lora;
    }

    /// <summary>The full names of the projections <paramref name="config"/> targets in <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">It targets nothing, or a target is neither linear nor already LoRA.</exception>
    internal static HashSet<string> Targets(Gpt model, LoraConfig config)
    {
        var targets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (full, layer) in model.Projections())
        {
            if (!config.IsTarget(full))
                continue;
            if (layer is not Linear and not LoraLinear)
                throw new ArgumentException($"LoRA targets '{full}', which is a {layer.GetType().Name}, not a linear layer.", nameof(config));
            targets.Add(full);
        }
        if (targets.Count == 0)
            throw new ArgumentException(
                $"The LoRA targets ({config.TargetRegex ?? string.Join(", ", config.Targets)}) match none of the model's projections " +
                $"({string.Join(", ", model.Projections().Select(p => p.Name).Take(4))}, ...).", nameof(config));
        return targets;
    }

    void RequireUnmerged(string action)
    {
        if (IsMerged)
            throw new InvalidOperationException($"Cannot {action} while adapter '{ActiveAdapter}' is merged into the weights: call Unmerge() first.");
    }
}
