using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmOps.Core.IO;
using LlmOps.Core.Modeling;
using static LlmOps.Core.Peft.AdapterFiles;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LlmOps.Core.Peft;

/// <summary>
/// A LoRA adapter on disk in Hugging Face peft's <c>save_pretrained</c> layout: <c>adapter_config.json</c> (peft's
/// <c>LoraConfig</c> keys) and <c>adapter_model.safetensors</c> with peft's tensor names
/// (<c>base_model.model.&lt;module&gt;.lora_A.weight</c>, <c>.lora_B.weight</c>; the adapter's own name is not in the
/// file, as in peft). Only the adapter is written: kilobytes next to the base checkpoint's megabytes.
/// </summary>
/// <remarks>
/// <para>Module paths are Hugging Face GPT-2's: our state-dict names are GPT-2's without the <c>transformer.</c>
/// prefix (<c>h.0.attn.c_attn</c>, see <see cref="Gpt"/>), so the file says <c>transformer.h.0.attn.c_attn</c>, the
/// name peft gives the same projection of <c>GPT2LMHeadModel</c>. A and B have the same shapes there
/// (lora_A [r, in], lora_B [out, r]) whatever the base stores; HF GPT-2's projections are <c>Conv1D</c> with the weight
/// as [in, out], which peft handles with <c>fan_in_fan_out</c> = true at merge time. Ours are <c>nn.Linear</c> [out, in],
/// so this file says false (peft switches it on by itself, with a warning, when it meets a Conv1D).</para>
/// <para>Saving is atomic for the folder (<see cref="AtomicFolder"/>).</para>
/// </remarks>
public static class LoraAdapterFolder
{
    /// <summary>The config file's name (peft's).</summary>
    public const string ConfigFile = PeftAdapterFolder.ConfigFile;

    /// <summary>The weights file's name (peft's).</summary>
    public const string WeightsFile = PeftAdapterFolder.WeightsFile;

    /// <summary>What peft puts before a module path (<c>PeftModel</c> → <c>LoraModel</c> → the base model).</summary>
    public const string PeftPrefix = "base_model.model.";

    /// <summary>What Hugging Face GPT-2 puts before the block modules and our state-dict names lack.</summary>
    public const string TransformerPrefix = "transformer.";

    /// <summary>peft's tensor name for <paramref name="projection"/>'s A or B matrix.</summary>
    /// <param name="projection">Our full name, <c>h.0.attn.c_attn</c>.</param>
    /// <param name="matrix"><c>lora_A</c> or <c>lora_B</c>.</param>
    public static string TensorName(string projection, string matrix) => $"{PeftPrefix}{TransformerPrefix}{projection}.{matrix}.weight";

    /// <summary>peft's tensor name for trainable token rows on the token embedding (<c>trainable_token_indices</c>).</summary>
    public const string TokenRowsTensorName = PeftPrefix + TransformerPrefix + "wte.token_adapter.trainable_tokens_delta";

    /// <summary>Writes <paramref name="config"/> and each projection's A and B into <paramref name="folder"/>, and the
    /// embedding rows of <paramref name="tokens"/> when given (peft's <c>trainable_token_indices</c>).</summary>
    public static void Save(string folder, LoraConfig config, IReadOnlyList<(string Projection, Tensor A, Tensor B)> tensors, string? baseModelNameOrPath = null,
        TrainableTokens? tokens = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tensors);
        var document = PeftAdapterFolder.Config("LORA", baseModelNameOrPath, new JsonObject
        {
            ["r"] = config.Rank,
            ["lora_alpha"] = config.Alpha,
            ["lora_dropout"] = config.Dropout,
            ["target_modules"] = config.TargetRegex is { } regex ? JsonValue.Create(regex) : new JsonArray([.. config.Targets.Select(t => JsonValue.Create(t))]),
            ["bias"] = "none",
            ["fan_in_fan_out"] = false,
            ["init_lora_weights"] = true,
            ["use_rslora"] = false,
            ["use_dora"] = false,
            ["modules_to_save"] = null,
            ["layers_to_transform"] = null,
            ["layers_pattern"] = null,
            ["rank_pattern"] = new JsonObject(),
            ["alpha_pattern"] = new JsonObject(),
            ["trainable_token_indices"] = tokens is null ? null : new JsonArray([.. tokens.TokenIds.Select(id => JsonValue.Create(id))]),
        });
        var named = tensors.SelectMany(t => new[] { (TensorName(t.Projection, "lora_A"), t.A), (TensorName(t.Projection, "lora_B"), t.B) }).ToList();
        if (tokens is not null)
            named.Add((TokenRowsTensorName, tokens.Rows));
        AdapterFiles.Write(folder, document, named);
    }

    /// <summary>Reads the adapter in <paramref name="folder"/> and checks it against <paramref name="model"/>: every
    /// projection its config targets must have both tensors with the shapes that projection needs, and the file may
    /// hold nothing else.</summary>
    /// <exception cref="FileNotFoundException">A file of the layout is missing.</exception>
    /// <exception cref="InvalidDataException">The config or tensors do not fit; the message names the file and key or tensor.</exception>
    public static SavedLoraAdapter Read(string folder, Gpt model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (configPath, weightsPath) = AdapterFiles.Paths(folder, "LoRA");
        var (config, baseModel, tokenIds) = ReadConfig(configPath);
        if (tokenIds?.FirstOrDefault(id => id < 0 || id >= model.Config.VocabSize, -1) is int bad and >= 0)
            throw Bad(configPath, "trainable_token_indices", $"holds {bad}, outside the model's vocabulary of {model.Config.VocabSize}");
        HashSet<string> targets;
        try
        {
            targets = LoraModel.Targets(model, config);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{configPath} does not fit this model: {e.Message}", e);
        }

        using var content = SafeTensors.Read(weightsPath);
        var expected = new Dictionary<string, (string Projection, string Matrix, long[] Shape)>(StringComparer.Ordinal);
        foreach (var (full, layer) in model.Projections().Where(p => targets.Contains(p.Name)))
        {
            var weight = layer is LoraLinear lora ? lora.BaseLayer.weight! : ((Linear)layer).weight!;
            long outputs = weight.shape[0], inputs = weight.shape[1];
            expected[TensorName(full, "lora_A")] = (full, "A", [config.Rank, inputs]);
            expected[TensorName(full, "lora_B")] = (full, "B", [outputs, config.Rank]);
        }
        var described = expected.ToDictionary(e => e.Key,
            e => ($"LoRA {e.Value.Matrix} of {e.Value.Projection} with r = {config.Rank}", e.Value.Shape), StringComparer.Ordinal);
        if (tokenIds is not null)
            described[TokenRowsTensorName] = ($"the rows of trainable tokens {string.Join(", ", tokenIds)}", [tokenIds.Count, model.Config.EmbeddingSize]);
        AdapterFiles.CheckTensors(weightsPath, content, described);

        var tensors = new Dictionary<string, (Tensor A, Tensor B)>(StringComparer.Ordinal);
        foreach (string projection in expected.Values.Select(v => v.Projection).Distinct())
            tensors[projection] = (content.Tensors[TensorName(projection, "lora_A")].clone().DetachFromDisposeScope(),
                content.Tensors[TensorName(projection, "lora_B")].clone().DetachFromDisposeScope());
        var tokenRows = tokenIds is null ? null : content.Tensors[TokenRowsTensorName].clone().DetachFromDisposeScope();
        return new SavedLoraAdapter(config, tensors, baseModel, tokenIds, tokenRows);
    }

    static (LoraConfig Config, string? BaseModel, IReadOnlyList<int>? TokenIds) ReadConfig(string path)
    {
        var json = AdapterFiles.Read(path);
        string peftType = String(json, path, "peft_type") ?? throw Missing(path, "peft_type");
        if (peftType != "LORA")
            throw new InvalidDataException($"{path}: peft_type is '{peftType}'; only LORA adapters load here.");
        if (String(json, path, "bias") is { } bias && bias != "none")
            throw new InvalidDataException($"{path}: bias is '{bias}'; only bias = none (no trained biases) is supported.");
        foreach (string flag in new[] { "use_rslora", "use_dora" })
        {
            if (json[flag] is JsonValue v && v.TryGetValue<bool>(out bool on) && on)
                throw new InvalidDataException($"{path}: {flag} is true, which this LoRA does not implement.");
        }
        foreach (string pattern in new[] { "rank_pattern", "alpha_pattern" })
        {
            if (json[pattern] is JsonObject o && o.Count > 0)
                throw new InvalidDataException($"{path}: {pattern} is not empty; per-module ranks and alphas are not supported.");
        }
        int rank = (int)Number(json, path, "r", required: true)!.Value;
        double alpha = Number(json, path, "lora_alpha", required: false) ?? 8; // peft's default
        double dropout = Number(json, path, "lora_dropout", required: false) ?? 0;
        var config = json["target_modules"] switch
        {
            JsonArray list => new LoraConfig(rank, alpha, dropout, [.. list.Select(n => n?.GetValue<string>() ?? throw Bad(path, "target_modules", "holds a null"))]),
            JsonValue value when value.TryGetValue<string>(out var regex) => new LoraConfig(rank, alpha, dropout, TargetRegex: regex),
            _ => throw Bad(path, "target_modules", "must be a list of module names or a regular expression"),
        };
        try
        {
            config.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
        IReadOnlyList<int>? tokenIds = json["trainable_token_indices"] switch
        {
            null => null,
            JsonArray ids when ids.Count > 0 && ids.All(i => i is JsonValue v && v.TryGetValue<int>(out _)) => [.. ids.Select(i => i!.GetValue<int>())],
            _ => throw Bad(path, "trainable_token_indices", "must be a non-empty list of token ids on the token embedding"),
        };
        return (config, String(json, path, "base_model_name_or_path"), tokenIds);
    }
}
