using System.Text.Json.Nodes;
using LlmOps.Core.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LlmOps.Core.Peft;

/// <summary>
/// What prompt tuning, P-tuning and prefix tuning share (peft's "prompt learning" methods): the method is a
/// <see cref="VirtualTokens"/> module attached to the <see cref="Gpt"/> (its child <c>prompt_encoder</c>), every base
/// parameter is frozen, and only the virtual tokens' parameters train. <see cref="Remove"/> gives the bare base back.
/// </summary>
/// <remarks>Saving writes peft's layout: the rows the model consumes, as <c>prompt_embeddings</c>. For P-tuning and
/// projected prefixes those are the encoder's output, as peft's <c>get_prompt_embedding_to_save</c> writes them: the
/// reparameterisation is a training device, so a loaded adapter (<see cref="PeftAdapterFolder.Load"/>) holds the
/// output as a plain table (peft's inference mode) and, if trained further, trains that table.</remarks>
public abstract class PromptLearningModel : IPeftModel
{
    // By name, not by object: moving the model (to(device), to(dtype)) replaces its Parameter objects.
    readonly Dictionary<string, bool> frozenFrom = new(StringComparer.Ordinal);

    /// <summary>Attaches <paramref name="tokens"/> to <paramref name="model"/> (moved to its device and dtype first) and
    /// freezes every base parameter; nothing changes if the tokens do not fit.</summary>
    /// <exception cref="ArgumentException">The tokens leave no room in the block, or do not fit the model's shape.</exception>
    /// <exception cref="InvalidOperationException">The model already has virtual tokens.</exception>
    protected PromptLearningModel(Gpt model, VirtualTokens tokens)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokens);
        var reference = model.parameters().First();
        tokens.to(reference.device).to(reference.dtype);
        var own = model.named_parameters().ToList();
        model.AttachVirtualTokens(tokens);
        foreach (var (name, parameter) in own)
        {
            frozenFrom[name] = parameter.requires_grad;
            parameter.requires_grad = false;
        }
        Model = model;
        Tokens = tokens;
    }

    /// <inheritdoc/>
    public abstract PeftMethod Method { get; }

    /// <inheritdoc/>
    public Gpt Model { get; }

    /// <summary>The attached virtual tokens (the model's <c>prompt_encoder</c>).</summary>
    public VirtualTokens Tokens { get; }

    /// <summary>peft's <c>peft_type</c> for this method.</summary>
    public abstract string PeftType { get; }

    /// <summary>The virtual tokens' parameters (hand these to the optimizer).</summary>
    public IReadOnlyList<Parameter> AdapterParameters() => [.. Tokens.parameters()];

    /// <inheritdoc/>
    public TrainableParameters Trainable() => TrainableParameters.Of(Model);

    /// <summary>Detaches the virtual tokens and gives the base parameters back the trainability they had: the model's
    /// forward pass is the base's again, bit for bit. This object is spent afterwards.</summary>
    public Gpt Remove()
    {
        if (Model.VirtualTokens is { } attached && ReferenceEquals(attached, Tokens))
            Model.DetachVirtualTokens();
        foreach (var (name, parameter) in Model.named_parameters())
        {
            if (frozenFrom.TryGetValue(name, out bool requiresGrad))
                parameter.requires_grad = requiresGrad;
        }
        frozenFrom.Clear();
        return Model;
    }

    /// <inheritdoc/>
    public void Save(string folder, string? baseModelNameOrPath = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var fields = new JsonObject
        {
            ["num_virtual_tokens"] = Tokens.Count,
            ["token_dim"] = Model.Config.EmbeddingSize,
            ["num_transformer_submodules"] = 1,
            ["num_attention_heads"] = Model.Config.Heads,
            ["num_layers"] = Model.Config.Layers,
        };
        var rows = Tokens.Rows().detach().cpu().contiguous();
        AdapterFiles.Write(folder, PeftAdapterFolder.Config(PeftType, baseModelNameOrPath, fields, MethodFields()), [(PeftAdapterFolder.PromptEmbeddings, rows)]);
    }

    /// <summary>The config keys only this method writes (peft's names), besides the shared prompt-learning ones.</summary>
    protected abstract JsonObject MethodFields();

    /// <summary>The checks every prompt-learning config makes of its N and, where it has one, its encoder's hidden size.</summary>
    /// <exception cref="ArgumentException">N or the hidden size is below 1.</exception>
    internal static void CheckSizes(int count, int? hiddenSize)
    {
        if (count < 1)
            throw new ArgumentException($"The number of virtual tokens (num_virtual_tokens) must be at least 1; got {count}.", nameof(count));
        if (hiddenSize < 1)
            throw new ArgumentException($"The encoder's hidden size (encoder_hidden_size) must be at least 1; got {hiddenSize}.", nameof(hiddenSize));
    }
}
