using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LlmOps.Core.Data;

namespace LlmOps.Core.Evaluation;

/// <summary>Answers cached per item, so a rerun costs nothing and an interrupted evaluation resumes where it stopped:
/// one JSONL file per model identity in a folder, a line appended (and flushed) as each answer arrives, keyed by
/// (task, item line, SHA-256 of the request: the prompt and the generation settings). A changed prompt, few-shot draw
/// or token limit is a different key, so a stale answer is never served. Failures are never cached: a rerun asks again.
/// Thread-safe.</summary>
public sealed class EvalCache
{
    readonly Dictionary<string, Dictionary<string, string>> models = new(StringComparer.Ordinal);
    readonly Lock gate = new();
    int hits, misses;

    /// <summary>A cache in <paramref name="folder"/> (created when the first answer is written).</summary>
    public EvalCache(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Folder = Path.GetFullPath(folder);
    }

    /// <summary>The cache folder.</summary>
    public string Folder { get; }

    /// <summary>Answers served from the cache since this instance was made.</summary>
    public int Hits => Volatile.Read(ref hits);

    /// <summary>Lookups that found nothing since this instance was made.</summary>
    public int Misses => Volatile.Read(ref misses);

    /// <summary>The file holding <paramref name="model"/>'s answers.</summary>
    public string FileFor(string model) =>
        Path.Combine(Folder, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(model)))[..16].ToLowerInvariant() + ".jsonl");

    /// <summary>The cached answer of <paramref name="model"/> to <paramref name="request"/> for item
    /// <paramref name="line"/> of <paramref name="task"/>.</summary>
    /// <exception cref="DataFormatException">A line of the cache file other than the last is not a cache entry.</exception>
    public bool TryGet(string model, string task, long line, string request, out string answer)
    {
        lock (gate)
        {
            bool found = Entries(model).TryGetValue(Key(task, line, request), out answer!);
            if (found)
                hits++;
            else
                misses++;
            return found;
        }
    }

    /// <summary>Caches <paramref name="answer"/>, appending it to the model's file at once (what an interruption
    /// leaves behind is every answer received before it).</summary>
    public void Add(string model, string task, long line, string request, string answer)
    {
        lock (gate)
        {
            string key = Key(task, line, request);
            if (!Entries(model).TryAdd(key, answer))
                return;
            Directory.CreateDirectory(Folder);
            string json = JsonSerializer.Serialize(new Entry(model, task, line, key, answer));
            File.AppendAllText(FileFor(model), json + "\n");
        }
    }

    /// <summary>The SHA-256 (hex) that stands for a request in the cache.</summary>
    public static string Hash(string request) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(request))).ToLowerInvariant();

    static string Key(string task, long line, string request) => $"{task}\n{line}\n{Hash(request)}";

    Dictionary<string, string> Entries(string model)
    {
        if (models.TryGetValue(model, out var entries))
            return entries;
        entries = new Dictionary<string, string>(StringComparer.Ordinal);
        string file = FileFor(model);
        if (File.Exists(file))
        {
            string[] lines = File.ReadAllText(file).Split('\n');
            // The text after the last newline is a line an interruption cut short (or nothing): skipped, and
            // overwritten by the next append's line start.
            for (int i = 0; i < lines.Length - 1; i++)
            {
                if (lines[i].Length == 0)
                    continue;
                Entry? entry;
                try
                {
                    entry = JsonSerializer.Deserialize<Entry>(lines[i]);
                }
                catch (JsonException e)
                {
                    throw new DataFormatException(file, i + 1, null, $"not an evaluation cache entry: {e.Message}", e);
                }
                if (entry is null || entry.Key is null || entry.Answer is null || entry.Model != model)
                    throw new DataFormatException(file, i + 1, null, $"not an evaluation cache entry of model '{model}'");
                entries[entry.Key] = entry.Answer;
            }
            if (lines[^1].Length > 0)
                File.WriteAllText(file, string.Concat(lines[..^1].Select(l => l + "\n")));
        }
        models[model] = entries;
        return entries;
    }

    sealed record Entry(string Model, string Task, long Line, string Key, string Answer);
}
