using System.Text.Json;
using System.Text.Json.Serialization;
using LlmOps.Core.Modeling;
using LlmOps.Core.Peft;
using static TorchSharp.torch;

namespace LlmOps.Core.FineTuning;

/// <summary>
/// The weights part of a parameter-efficient fine-tuning checkpoint: only the tensors that train, by their parameter
/// names in the adapted model (<c>peft.safetensors</c>), and what rebuilds the model around them (<c>peft.json</c>:
/// the method, its settings, the base checkpoint, the vocabulary size the base was resized to, the tokenizer). The
/// base's frozen weights are never copied: a checkpoint of a LoRA run on a 10 M-parameter base holds kilobytes.
/// </summary>
/// <remarks>The <see cref="Training.TrainingLoop"/> writes the optimizer and trainer state beside these files, as for
/// any task, so a PEFT run resumes exactly. Rebuilding is deterministic: load the base, resize its embeddings (new rows
/// are the mean of the old ones), apply the method, copy the trained tensors in.</remarks>
public static class PeftCheckpoint
{
    /// <summary>The trained tensors' file.</summary>
    public const string WeightsFile = "peft.safetensors";

    /// <summary>The description's file.</summary>
    public const string ConfigFile = "peft.json";

    const string Format = "llmops-peft/1";

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Whether <paramref name="folder"/> holds a PEFT checkpoint (rather than a whole <see cref="GptCheckpoint"/>).</summary>
    public static bool Exists(string folder) => File.Exists(Path.Combine(folder, ConfigFile));

    /// <summary>Writes <paramref name="model"/>'s trainable tensors and <paramref name="info"/> into
    /// <paramref name="folder"/> (a fresh folder the caller renames into place when complete).</summary>
    public static void Write(string folder, IPeftModel model, PeftCheckpointInfo info)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(info);
        Directory.CreateDirectory(folder);
        var tensors = Trained(model).Select(p => (p.Name, (Tensor)p.Parameter)).ToList();
        using (var stream = new FileStream(Path.Combine(folder, WeightsFile), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        {
            SafeTensors.Write(stream, tensors, new Dictionary<string, string>(info.Extra) { ["format"] = Format, ["method"] = info.Method });
            stream.Flush(flushToDisk: true);
        }
        File.WriteAllText(Path.Combine(folder, ConfigFile), JsonSerializer.Serialize(info with { Format = Format }, Json));
    }

    /// <summary>Reads <c>peft.json</c> of <paramref name="folder"/>.</summary>
    /// <exception cref="FileNotFoundException">The folder has no <c>peft.json</c>.</exception>
    /// <exception cref="InvalidDataException">The file is not a PEFT checkpoint description; the message names it.</exception>
    public static PeftCheckpointInfo ReadInfo(string folder)
    {
        string path = Path.Combine(folder, ConfigFile);
        if (!File.Exists(path))
            throw new FileNotFoundException($"No {ConfigFile} in {folder}: not a PEFT checkpoint.", path);
        PeftCheckpointInfo? info;
        try
        {
            info = JsonSerializer.Deserialize<PeftCheckpointInfo>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a PEFT checkpoint description ({e.Message}).", e);
        }
        if (info is null || info.Format != Format)
            throw new InvalidDataException($"{path}: format is '{info?.Format}', expected '{Format}'.");
        if (PeftFactory.Parse(info.Method) is null)
            throw new InvalidDataException($"{path}: method '{info.Method}' is not one of {string.Join(", ", PeftFactory.Names)}.");
        return info;
    }

    /// <summary>Copies the trained tensors of <paramref name="folder"/> into <paramref name="model"/>, which must have been
    /// built with the same method and settings (checked against <c>peft.json</c>).</summary>
    /// <exception cref="InvalidDataException">The checkpoint was written by another method or settings, or a tensor is
    /// missing, extra or of another shape; the message names the file and the tensor.</exception>
    public static void LoadWeights(string folder, IPeftModel model, PeftSettings settings)
    {
        ArgumentNullException.ThrowIfNull(model);
        var info = ReadInfo(folder);
        string configPath = Path.Combine(folder, ConfigFile);
        if (info.Method != PeftFactory.Name(model.Method))
            throw new InvalidDataException($"{configPath}: written by a {info.Method} run, but this model is {PeftFactory.Name(model.Method)}.");
        if (!info.Settings.SameAs(settings))
            throw new InvalidDataException($"{configPath}: written with Peft settings {JsonSerializer.Serialize(info.Settings)}, but this run has {JsonSerializer.Serialize(settings)}; use the run's settings or another OutFolder.");
        string weightsPath = Path.Combine(folder, WeightsFile);
        if (!File.Exists(weightsPath))
            throw new FileNotFoundException($"No {WeightsFile} in PEFT checkpoint {folder}.", weightsPath);
        using var content = SafeTensors.Read(weightsPath);
        var trained = Trained(model);
        var expected = trained.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var unexpected = content.Tensors.Keys.Where(k => !expected.Contains(k)).ToList();
        if (unexpected.Count > 0)
            throw new InvalidDataException($"{weightsPath} holds tensors the {info.Method} model does not train: {string.Join(", ", unexpected)}.");
        using var noGrad = no_grad();
        foreach (var (name, parameter) in trained)
        {
            if (!content.Tensors.TryGetValue(name, out var tensor))
                throw new InvalidDataException($"{weightsPath} has no tensor '{name}', which the {info.Method} model trains.");
            if (!tensor.shape.SequenceEqual(parameter.shape))
                throw new InvalidDataException($"{weightsPath}: tensor '{name}' has shape [{string.Join(", ", tensor.shape)}] but the model needs [{string.Join(", ", parameter.shape)}].");
            parameter.copy_(tensor);
        }
    }

    /// <summary>Rebuilds the tuned model of <paramref name="folder"/>: the base it names, resized, the method applied,
    /// the trained tensors copied in; in eval mode, on <paramref name="device"/> (the CPU when null).</summary>
    /// <exception cref="FileNotFoundException">The checkpoint or its base is missing.</exception>
    /// <exception cref="InvalidDataException">A file does not fit; the message names it.</exception>
    public static (IPeftModel Model, PeftCheckpointInfo Info) Open(string folder, Device? device = null)
    {
        var info = ReadInfo(folder);
        var model = LoadBase(info, device);
        try
        {
            var peft = PeftFactory.Apply(model, PeftFactory.Parse(info.Method)!.Value, info.Settings, info.Seed);
            AttachTrainableTokens(model, info.TrainableTokens);
            LoadWeights(folder, peft, info.Settings);
            model.eval();
            return (peft, info);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The base of <paramref name="info"/> as the run trained on it: loaded, its embeddings resized for the
    /// added tokens and their rows set as in training; no method applied (load a saved LoRA adapter onto it with
    /// <see cref="LoraModel.FromPretrained"/>).</summary>
    /// <exception cref="FileNotFoundException">The base checkpoint is missing.</exception>
    public static Gpt LoadBase(PeftCheckpointInfo info, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(info);
        var model = GptCheckpoint.Load(info.BaseModel, device).Model;
        if (model.Config.VocabSize < info.VocabSize)
        {
            model.ResizeTokenEmbeddings(info.VocabSize);
            CopyRows(model, info.RowsCopied ?? new Dictionary<int, int>());
        }
        return model;
    }

    /// <summary>Attaches peft's trainable tokens for <paramref name="tokenIds"/> (none when null), starting from the
    /// model's current rows; their rows then train and land in the checkpoint with the method's tensors.</summary>
    internal static void AttachTrainableTokens(Gpt model, IReadOnlyList<int>? tokenIds)
    {
        if (tokenIds is { Count: > 0 })
            model.AttachTrainableTokens(new TrainableTokens(model.named_parameters().First(p => p.name == "wte.weight").parameter, tokenIds));
    }

    /// <summary>Copies embedding rows (target id → source id) in the embedding and in an untied head.</summary>
    /// <remarks>For PEFT the embeddings stay frozen, so a new token can only be emitted if its (tied) output row is one
    /// the base already predicts: the end-of-turn marker starts as the end-of-document token, which the base learned to
    /// predict at the end of every pretraining document. The mean of the rows (the default, for full fine-tuning, where
    /// the rows train) is a direction no hidden state of the frozen base points to. Only the end marker is copied: two
    /// equal rows would tie in every greedy choice between them.</remarks>
    internal static void CopyRows(Gpt model, IReadOnlyDictionary<int, int> rows)
    {
        using var noGrad = no_grad();
        foreach (var (name, weight) in model.named_parameters())
        {
            if (name is not ("wte.weight" or "lm_head.weight"))
                continue;
            foreach (var (target, source) in rows)
            {
                using var to = weight[target];
                using var from = weight[source];
                to.copy_(from);
            }
        }
    }

    /// <summary>The model's trainable parameters by name, in model order.</summary>
    static List<(string Name, TorchSharp.Modules.Parameter Parameter)> Trained(IPeftModel model) =>
        [.. model.Model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter))];
}
