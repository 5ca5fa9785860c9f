using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using TorchSharp;
using static TorchSharp.torch;

using LlmOps.Core.IO;

namespace LlmOps.Core.Modeling;

/// <summary>
/// A checkpoint is a folder: <c>model.safetensors</c> (the weights) and <c>config.json</c> (the <see cref="GptConfig"/>
/// and <see cref="CheckpointMetadata"/>), the layout Hugging Face uses, so other tools can read the weights.
/// </summary>
/// <remarks>
/// <para>Tied weights are stored once: a tied <see cref="Gpt"/> has no <c>lm_head</c> parameter, so only
/// <c>wte.weight</c> is written; <c>config.json</c> says <c>"TiedEmbeddings": true</c> and lists the alias under
/// <c>tied_weights</c> (also in the safetensors metadata), and loading rebuilds the tie from the config.</para>
/// <para>Saving is atomic for the folder as a whole: both files are written into a temporary sibling folder, which
/// then replaces the target by rename, so a crash leaves the old checkpoint or the new one, never a mix. The
/// folder is the unit: anything else in an existing target folder is replaced too.</para>
/// </remarks>
public static class GptCheckpoint
{
    /// <summary>The weights file's name.</summary>
    public const string WeightsFile = "model.safetensors";

    /// <summary>The config file's name.</summary>
    public const string ConfigFile = "config.json";

    /// <summary>The format tag in both files, checked on load.</summary>
    public const string Format = "llmops-gpt/1";

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Saves <paramref name="model"/> (weights in their current dtype, config from <see cref="Gpt.Config"/>,
    /// so the two cannot disagree) with <paramref name="metadata"/> into <paramref name="folder"/>.</summary>
    public static void Save(string folder, Gpt model, CheckpointMetadata? metadata = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(model);
        metadata ??= new CheckpointMetadata();
        var config = model.Config;
        AtomicFolder.Write(folder, temporary =>
        {
            var tensors = model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).ToList();
            var tied = config.TiedEmbeddings ? new Dictionary<string, string> { ["lm_head.weight"] = "wte.weight" } : [];
            var fileMetadata = new Dictionary<string, string>(metadata.Extra)
            {
                ["format"] = Format,
                ["tied_weights"] = JsonSerializer.Serialize(tied),
            };
            if (metadata.Tokenizer is { } tokenizer)
                fileMetadata["tokenizer"] = tokenizer;
            if (metadata.DataManifestId is { } manifest)
                fileMetadata["data_manifest_id"] = manifest;
            using (var stream = new FileStream(Path.Combine(temporary, WeightsFile), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                SafeTensors.Write(stream, tensors, fileMetadata);
                stream.Flush(flushToDisk: true);
            }

            var document = new JsonObject
            {
                ["format"] = Format,
                ["model"] = JsonSerializer.SerializeToNode(config, Json),
                ["dtype"] = SafeTensors.DtypeName(tensors[0].Item2.dtype),
                ["tied_weights"] = JsonSerializer.SerializeToNode(tied, Json),
                ["tokenizer"] = metadata.Tokenizer,
                ["data_manifest_id"] = metadata.DataManifestId,
                ["extra"] = JsonSerializer.SerializeToNode(metadata.Extra, Json),
            };
            File.WriteAllText(Path.Combine(temporary, ConfigFile), document.ToJsonString(Json));
        });
    }

    /// <summary>Reads a checkpoint into a new model, bit for bit, in the stored dtype, on <paramref name="device"/>
    /// (the CPU when null), in eval mode.</summary>
    /// <exception cref="FileNotFoundException">A file of the checkpoint is missing.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt, or a tensor is missing, unexpected or the wrong
    /// shape for the config; the message names the file and the tensor.</exception>
    public static LoadedGpt Load(string folder, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        string configPath = Path.Combine(folder, ConfigFile);
        string weightsPath = Path.Combine(folder, WeightsFile);
        if (!File.Exists(configPath))
            throw new FileNotFoundException($"No {ConfigFile} in checkpoint folder {folder}.", configPath);
        if (!File.Exists(weightsPath))
            throw new FileNotFoundException($"No {WeightsFile} in checkpoint folder {folder}.", weightsPath);

        var (config, metadata) = ReadConfig(configPath);
        using var content = SafeTensors.Read(weightsPath);
        var model = new Gpt(config, seed: 0);
        try
        {
            var stored = content.Tensors.TryGetValue("wte.weight", out var embedding) ? embedding.dtype : ScalarType.Float32;
            if (stored != ScalarType.Float32)
                model.to(stored);
            var expected = new HashSet<string>(StringComparer.Ordinal);
            using (var noGrad = no_grad())
            {
                foreach (var (name, parameter) in model.named_parameters())
                {
                    expected.Add(name);
                    if (!content.Tensors.TryGetValue(name, out var tensor))
                        throw new InvalidDataException($"{weightsPath} has no tensor '{name}', which the model in {configPath} needs.");
                    if (!tensor.shape.SequenceEqual(parameter.shape))
                        throw new InvalidDataException(
                            $"{weightsPath}: tensor '{name}' has shape [{string.Join(", ", tensor.shape)}] but the model in {configPath} needs [{string.Join(", ", parameter.shape)}].");
                    if (tensor.dtype != parameter.dtype)
                        throw new InvalidDataException($"{weightsPath}: tensor '{name}' is {tensor.dtype}, the other weights {parameter.dtype}; mixed dtypes are not supported.");
                    parameter.copy_(tensor);
                }
            }
            var unexpected = content.Tensors.Keys.Where(k => !expected.Contains(k)).ToList();
            if (unexpected.Count > 0)
                throw new InvalidDataException($"{weightsPath} holds tensors the model in {configPath} does not have: {string.Join(", ", unexpected)}.");
            if (device is not null)
                model.to(device);
            model.eval();
            return new LoadedGpt(model, metadata, Path.GetFullPath(folder));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    static (GptConfig Config, CheckpointMetadata Metadata) ReadConfig(string path)
    {
        try
        {
            var document = JsonNode.Parse(File.ReadAllText(path))?.AsObject()
                ?? throw new InvalidDataException($"{path} is empty.");
            string? format = document["format"]?.GetValue<string>();
            if (format != Format)
                throw new InvalidDataException($"{path} has format '{format}', expected '{Format}'.");
            var config = document["model"].Deserialize<GptConfig>(Json) ?? throw new InvalidDataException($"{path} has no model config.");
            config.Validate();
            var extra = document["extra"].Deserialize<Dictionary<string, string>>(Json) ?? [];
            return (config, new CheckpointMetadata(document["tokenizer"]?.GetValue<string>(), document["data_manifest_id"]?.GetValue<string>()) { Extra = extra });
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path} is not a valid checkpoint config: {e.Message}", e);
        }
    }
}
