using System.Text.Json.Nodes;
using LlmOps.Core.Modeling;
using static LlmOps.Core.Peft.AdapterFiles;
using static TorchSharp.torch;

namespace LlmOps.Core.Peft;

/// <summary>
/// Any method's adapter on disk in Hugging Face peft's <c>save_pretrained</c> layout (<c>adapter_config.json</c> +
/// <c>adapter_model.safetensors</c>), and the one loader for all of them: <see cref="Load"/> reads <c>peft_type</c> and
/// hands the folder to the method's own reader. Every method saves through <see cref="IPeftModel.Save"/>.
/// </summary>
/// <remarks>
/// <para><c>LORA</c>: see <see cref="LoraAdapterFolder"/>.</para>
/// <para><c>PROMPT_TUNING</c>, <c>P_TUNING</c>, <c>PREFIX_TUNING</c>: peft's prompt-learning config keys
/// (<c>num_virtual_tokens</c>, <c>token_dim</c>, <c>num_transformer_submodules</c> = 1, <c>num_attention_heads</c>,
/// <c>num_layers</c>, and each method's own) and one tensor, <c>prompt_embeddings</c>: [N, C] for prompt tuning and
/// P-tuning, [N, layers·2·C] for prefix tuning, after any encoder or projection (see <see cref="PromptLearningModel"/>).</para>
/// <para><c>BOTTLENECK_ADAPTER</c> is our convention, as peft has no bottleneck adapters: keys <c>bottleneck_size</c>,
/// <c>non_linearity</c> (<c>gelu</c>) and <c>target_modules</c>, tensors named as LoRA's are
/// (<c>base_model.model.transformer.h.0.attn.c_proj.adapter_down.weight</c>, <c>.adapter_down.bias</c>,
/// <c>.adapter_up.weight</c>, <c>.adapter_up.bias</c>).</para>
/// <para>Everything is checked before the model changes; errors name the file and the key or tensor.</para>
/// </remarks>
public static class PeftAdapterFolder
{
    /// <summary>The config file's name (peft's).</summary>
    public const string ConfigFile = "adapter_config.json";

    /// <summary>The weights file's name (peft's).</summary>
    public const string WeightsFile = "adapter_model.safetensors";

    /// <summary>peft's tensor name for a prompt-learning method's rows.</summary>
    public const string PromptEmbeddings = "prompt_embeddings";

    /// <summary>Our <c>peft_type</c> for bottleneck adapters (peft has none).</summary>
    public const string BottleneckType = "BOTTLENECK_ADAPTER";

    /// <summary>Applies the adapter saved in <paramref name="folder"/> to <paramref name="model"/>, whichever method it
    /// is (peft's <c>PeftModel.from_pretrained</c>).</summary>
    /// <exception cref="FileNotFoundException">A file of the layout is missing.</exception>
    /// <exception cref="InvalidDataException">The files do not fit the model or name an unknown method; the message
    /// names the file and the key or tensor.</exception>
    public static IPeftModel Load(string folder, Gpt model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (configPath, weightsPath) = Paths(folder, "adapter");
        var json = Read(configPath);
        string type = String(json, configPath, "peft_type") ?? throw Missing(configPath, "peft_type");
        if (String(json, configPath, "task_type") is { } task && task != "CAUSAL_LM")
            throw new InvalidDataException($"{configPath}: task_type is '{task}'; a Gpt is a causal language model (CAUSAL_LM).");
        return type switch
        {
            "LORA" => LoraModel.FromPretrained(model, folder),
            BottleneckType => BottleneckAdapterModel.FromPretrained(model, folder),
            "PROMPT_TUNING" or "P_TUNING" or "PREFIX_TUNING" => LoadPromptLearning(model, json, type, configPath, weightsPath),
            _ => throw new InvalidDataException(
                $"{configPath}: peft_type '{type}' is not one of LORA, {BottleneckType}, PROMPT_TUNING, P_TUNING, PREFIX_TUNING."),
        };
    }

    /// <summary>A config document: the keys every peft adapter has, then each of <paramref name="parts"/>' keys in order
    /// (moved, not copied).</summary>
    internal static JsonObject Config(string peftType, string? baseModelNameOrPath, params IEnumerable<JsonObject> parts)
    {
        var document = new JsonObject
        {
            ["peft_type"] = peftType,
            ["task_type"] = "CAUSAL_LM",
            ["base_model_name_or_path"] = baseModelNameOrPath,
            ["revision"] = null,
            ["inference_mode"] = true,
        };
        foreach (var part in parts)
        {
            foreach (string key in part.Select(p => p.Key).ToList())
            {
                var value = part[key];
                part.Remove(key);
                document[key] = value;
            }
        }
        return document;
    }

    static PromptLearningModel LoadPromptLearning(Gpt model, JsonObject json, string type, string configPath, string weightsPath)
    {
        var shape = model.Config;
        int count = Integer(json, configPath, "num_virtual_tokens", required: true)!.Value;
        RequireEqual(json, configPath, "token_dim", shape.EmbeddingSize, "embedding width (n_embd)");
        RequireEqual(json, configPath, "num_layers", shape.Layers, "number of layers (n_layer)");
        RequireEqual(json, configPath, "num_attention_heads", shape.Heads, "number of heads (n_head)");
        if (Integer(json, configPath, "num_transformer_submodules", required: false) is { } submodules and not 1)
            throw new InvalidDataException($"{configPath}: num_transformer_submodules is {submodules}; a decoder-only model has 1.");
        int? hidden = Integer(json, configPath, "encoder_hidden_size", required: false);
        Func<Tensor, PromptLearningModel> build;
        long width = shape.EmbeddingSize;
        try
        {
            switch (type)
            {
                case "PROMPT_TUNING":
                    var prompt = new PromptTuningConfig(count,
                        String(json, configPath, "prompt_tuning_init") == "TEXT" ? PromptTuningInit.Text : PromptTuningInit.Random,
                        String(json, configPath, "prompt_tuning_init_text")).Validate();
                    build = rows => PromptTuningModel.FromRows(model, prompt, rows);
                    break;
                case "P_TUNING":
                    if (String(json, configPath, "encoder_reparameterization_type") is { } encoder && encoder != "MLP")
                        throw new InvalidDataException($"{configPath}: encoder_reparameterization_type is '{encoder}'; only MLP is implemented.");
                    var ptuning = new PTuningConfig(count, hidden).Validate();
                    build = rows => PTuningModel.FromRows(model, ptuning, rows);
                    break;
                default:
                    var prefix = new PrefixTuningConfig(count, Boolean(json, configPath, "prefix_projection") ?? false, hidden).Validate();
                    width = shape.Layers * 2L * shape.EmbeddingSize;
                    build = rows => PrefixTuningModel.FromRows(model, prefix, rows);
                    break;
            }
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{configPath}: {e.Message}", e);
        }
        if (count >= shape.BlockSize)
            throw new InvalidDataException($"{configPath}: num_virtual_tokens is {count}, which leaves no room in this model's block of {shape.BlockSize}.");

        using var content = SafeTensors.Read(weightsPath);
        CheckTensors(weightsPath, content, new Dictionary<string, (string, long[])>
        {
            [PromptEmbeddings] = ($"{type}'s rows for {count} virtual tokens", [count, width]),
        });
        return build(content.Tensors[PromptEmbeddings]);
    }
}
