using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmOps.Core.IO;
using LlmOps.Core.Modeling;
using static TorchSharp.torch;

namespace LlmOps.Core.Peft;

/// <summary>The parts of peft's adapter folder every method shares: writing the two files atomically, reading
/// <c>adapter_config.json</c> with errors that name the file and key, and checking the tensors of
/// <c>adapter_model.safetensors</c> against what the config and the model expect.</summary>
static class AdapterFiles
{
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes <paramref name="config"/> and <paramref name="tensors"/> into <paramref name="folder"/>, replacing
    /// it whole (<see cref="AtomicFolder"/>).</summary>
    public static void Write(string folder, JsonObject config, IReadOnlyList<(string Name, Tensor Tensor)> tensors)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        AtomicFolder.Write(folder, temporary =>
        {
            using (var stream = new FileStream(Path.Combine(temporary, PeftAdapterFolder.WeightsFile), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                SafeTensors.Write(stream, tensors, new Dictionary<string, string> { ["format"] = "pt" }); // peft writes format=pt
                stream.Flush(flushToDisk: true);
            }
            File.WriteAllText(Path.Combine(temporary, PeftAdapterFolder.ConfigFile), config.ToJsonString(Indented));
        });
    }

    /// <summary>The two files' paths in <paramref name="folder"/>, after checking both exist.</summary>
    /// <exception cref="FileNotFoundException">One is missing; the message names it.</exception>
    public static (string Config, string Weights) Paths(string folder, string kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        string configPath = Path.Combine(folder, PeftAdapterFolder.ConfigFile), weightsPath = Path.Combine(folder, PeftAdapterFolder.WeightsFile);
        foreach (string path in new[] { configPath, weightsPath })
        {
            if (!File.Exists(path))
                throw new FileNotFoundException(
                    $"{path} is missing: a peft {kind} adapter folder holds {PeftAdapterFolder.ConfigFile} and {PeftAdapterFolder.WeightsFile}.", path);
        }
        return (configPath, weightsPath);
    }

    /// <summary>The JSON object in <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">It is not valid JSON or not an object.</exception>
    public static JsonObject Read(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
        return root as JsonObject ?? throw new InvalidDataException($"{path} must hold a JSON object.");
    }

    /// <summary>A string entry, or null when absent.</summary>
    public static string? String(JsonObject json, string path, string key) => json[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw Bad(path, key, "must be a string"),
    };

    /// <summary>A number entry, or null when absent and not <paramref name="required"/>.</summary>
    public static double? Number(JsonObject json, string path, string key, bool required) => json[key] switch
    {
        null when required => throw Missing(path, key),
        null => null,
        JsonValue v when v.TryGetValue<double>(out double d) => d,
        _ => throw Bad(path, key, "must be a number"),
    };

    /// <summary>A whole-number entry, or null when absent and not <paramref name="required"/>.</summary>
    public static int? Integer(JsonObject json, string path, string key, bool required) =>
        Number(json, path, key, required) switch
        {
            null => null,
            double d when d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue => (int)d,
            _ => throw Bad(path, key, "must be a whole number"),
        };

    /// <summary>A true/false entry, or null when absent.</summary>
    public static bool? Boolean(JsonObject json, string path, string key) => json[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<bool>(out bool b) => b,
        _ => throw Bad(path, key, "must be true or false"),
    };

    /// <summary>Checks that an integer entry the model's shape fixes says what the model has.</summary>
    /// <exception cref="InvalidDataException">It is missing or differs; the message names the file and key.</exception>
    public static void RequireEqual(JsonObject json, string path, string key, int expected, string meaning)
    {
        int actual = Integer(json, path, key, required: true)!.Value;
        if (actual != expected)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{path}: {key} is {actual}, but this model's {meaning} is {expected}: the adapter was trained on another shape."));
    }

    /// <summary>Checks <paramref name="content"/> holds exactly the <paramref name="expected"/> tensors (name → what it
    /// is, for messages, and shape), floating point.</summary>
    /// <exception cref="InvalidDataException">A tensor is missing, misshapen, not floating point, or unexpected; the
    /// message names the file and tensor.</exception>
    public static void CheckTensors(string weightsPath, SafeTensorsContent content, IReadOnlyDictionary<string, (string What, long[] Shape)> expected)
    {
        foreach (var (name, (what, shape)) in expected)
        {
            if (!content.Tensors.TryGetValue(name, out var tensor))
                throw new InvalidDataException($"{weightsPath} has no tensor '{name}' ({what}, which {PeftAdapterFolder.ConfigFile} describes).");
            if (!tensor.shape.SequenceEqual(shape))
                throw new InvalidDataException(
                    $"{weightsPath}: tensor '{name}' has shape [{string.Join(", ", tensor.shape)}], but {what} needs [{string.Join(", ", shape)}].");
            if (!tensor.is_floating_point())
                throw new InvalidDataException($"{weightsPath}: tensor '{name}' has dtype {tensor.dtype}; {what} is floating point.");
        }
        var unexpected = content.Tensors.Keys.FirstOrDefault(k => !expected.ContainsKey(k));
        if (unexpected is not null)
            throw new InvalidDataException(
                $"{weightsPath}: tensor '{unexpected}' belongs to no projection or prompt that {PeftAdapterFolder.ConfigFile} describes for this model " +
                $"(expected names like '{expected.Keys.First()}').");
    }

    /// <summary>The error for a missing key.</summary>
    public static InvalidDataException Missing(string path, string key) => new($"{path} has no '{key}'.");

    /// <summary>The error for a key whose value is wrong.</summary>
    public static InvalidDataException Bad(string path, string key, string problem) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{path}: '{key}' {problem}."));
}
