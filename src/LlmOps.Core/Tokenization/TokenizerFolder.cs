using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using LlmOps.Core.IO;

namespace LlmOps.Core.Tokenization;

/// <summary>
/// A trained tokenizer on disk: a folder with <c>ranks.tiktoken</c> (exactly tiktoken's format: one
/// <c>base64(token bytes) rank</c> per line, in rank order) and <c>tokenizer.json</c> (<see cref="TokenizerSpec"/>).
/// tiktoken, Microsoft.ML.Tokenizers and anything else that reads tiktoken files load the ranks; the spec adds the
/// pattern and the special tokens they need to encode the same way. Every id from 0 to <c>vocab_size - 1</c> is
/// exactly one rank line or one special token.
/// </summary>
public static class TokenizerFolder
{
    /// <summary>The ranks file name.</summary>
    public const string RanksFileName = "ranks.tiktoken";

    /// <summary>The spec file name.</summary>
    public const string SpecFileName = "tokenizer.json";

    static readonly JsonSerializerOptions Options = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Whether <paramref name="folder"/> looks like a tokenizer folder (it has a spec file).</summary>
    public static bool Exists(string folder) => File.Exists(Path.Combine(folder, SpecFileName));

    /// <summary>Writes <paramref name="model"/> to <paramref name="folder"/> (created if needed). Each file is written
    /// atomically, the spec last, so a folder with a spec always has its ranks.</summary>
    public static void Save(BpeTokenizerModel model, string folder)
    {
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(folder);
        AtomicFile.Write(Path.Combine(folder, RanksFileName), stream => WriteRanks(model, stream));
        AtomicFile.WriteAllText(Path.Combine(folder, SpecFileName), JsonSerializer.Serialize(TokenizerSpec.Of(model), Options) + "\n");
    }

    /// <summary>Loads the folder as an encoder (a Microsoft.ML.Tokenizers <c>TiktokenTokenizer</c> inside an
    /// <see cref="LlmTokenizer"/>, with its spec).</summary>
    /// <exception cref="InvalidDataException">A file is missing or wrong; the message names the file and line.</exception>
    public static LlmTokenizer Load(string folder) => LlmTokenizer.FromModel(LoadModel(folder));

    /// <summary>Loads the folder as data (for vocabulary expansion or inspection), checking it thoroughly.</summary>
    /// <exception cref="InvalidDataException">A file is missing or wrong; the message names the file and line.</exception>
    public static BpeTokenizerModel LoadModel(string folder)
    {
        var spec = ReadSpec(Path.Combine(folder, SpecFileName));
        string ranksPath = Path.Combine(folder, RanksFileName);
        if (!File.Exists(ranksPath))
            throw new InvalidDataException($"{ranksPath}: missing (the folder has {SpecFileName} but no ranks).");
        var ranks = new List<byte[]>(spec.Ranks);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        int lineNumber = 0, tokens = 0;
        foreach (string line in File.ReadLines(ranksPath))
        {
            lineNumber++;
            if (line.Length == 0)
                continue;
            string where = $"{ranksPath} line {lineNumber}";
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0 || line.IndexOf(' ', space + 1) >= 0)
                throw new InvalidDataException($"{where}: expected 'base64 rank', found '{Shorten(line)}'.");
            var bytes = new byte[(space + 3) / 4 * 3];
            if (!Convert.TryFromBase64String(line[..space], bytes, out int length) || length == 0)
                throw new InvalidDataException($"{where}: '{Shorten(line[..space])}' is not base64 of a non-empty token.");
            if (!int.TryParse(line.AsSpan(space + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int rank))
                throw new InvalidDataException($"{where}: '{Shorten(line[(space + 1)..])}' is not a rank.");
            int expected = tokens < spec.Ranks ? tokens
                : tokens - spec.Ranks < spec.AddedTokens.Count ? spec.AddedTokens[tokens - spec.Ranks].Id
                : throw new InvalidDataException($"{where}: more tokens than the {spec.Ranks} ranks and {spec.AddedTokens.Count} added tokens {SpecFileName} declares.");
            if (rank != expected)
                throw new InvalidDataException($"{where}: rank {rank}, expected {expected} (ranks run 0..{spec.Ranks - 1}, then the added tokens' ids).");
            byte[] token = bytes[..length];
            if (!seen.TryAdd(Encoding.Latin1.GetString(token), lineNumber))
                throw new InvalidDataException($"{where}: the same bytes as line {seen[Encoding.Latin1.GetString(token)]}.");
            if (tokens >= spec.Ranks)
            {
                var added = spec.AddedTokens[tokens - spec.Ranks];
                if (!token.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(added.Text)))
                    throw new InvalidDataException($"{where}: bytes differ from added token '{added.Text}' in {SpecFileName}.");
            }
            else
            {
                ranks.Add(token);
            }
            tokens++;
        }
        if (tokens != spec.Ranks + spec.AddedTokens.Count)
            throw new InvalidDataException($"{ranksPath}: {tokens} tokens, but {SpecFileName} declares {spec.Ranks} ranks and {spec.AddedTokens.Count} added tokens.");
        for (int b = 0; b < Math.Min(256, ranks.Count); b++)
        {
            if (ranks[b].Length != 1 || ranks[b][0] != b)
                throw new InvalidDataException($"{ranksPath} line {b + 1}: ranks 0..255 must be the single bytes in order (byte-level BPE).");
        }
        return new BpeTokenizerModel(spec.Name, spec.Pattern, ranks, spec.SpecialTokens, spec.AddedTokens, spec.Merges, spec.TrainedOn);
    }

    /// <summary>Reads and checks <c>tokenizer.json</c>.</summary>
    /// <exception cref="InvalidDataException">Missing, not JSON, another format, or ids that do not tile the vocabulary.</exception>
    public static TokenizerSpec ReadSpec(string path)
    {
        if (!File.Exists(path))
            throw new InvalidDataException($"{path}: missing; a tokenizer folder holds {SpecFileName} and {RanksFileName}.");
        TokenizerSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize<TokenizerSpec>(File.ReadAllText(path), Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} line {(e.LineNumber ?? 0) + 1}: not a tokenizer spec ({e.Message}).", e);
        }
        if (spec is null || spec.Format != TokenizerSpec.FormatName)
            throw new InvalidDataException($"{path}: format is '{spec?.Format}', expected '{TokenizerSpec.FormatName}'.");
        if (spec.Version != TokenizerSpec.CurrentVersion)
            throw new InvalidDataException($"{path}: format version {spec.Version}; this build reads version {TokenizerSpec.CurrentVersion}.");
        if (string.IsNullOrEmpty(spec.Pattern) || spec.Name is null)
            throw new InvalidDataException($"{path}: name and pattern are required.");
        spec = spec with { SpecialTokens = spec.SpecialTokens ?? [], AddedTokens = spec.AddedTokens ?? [] };
        try
        {
            _ = BpeTokenizerModel.CreatePatternRegex(spec.Pattern);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: pattern is not a valid .NET regex ({e.Message}).", e);
        }
        var ids = new bool[Math.Max(spec.VocabSize, 0)];
        for (int id = 0; id < Math.Min(spec.Ranks, ids.Length); id++)
            ids[id] = true;
        foreach (var token in spec.SpecialTokens.Concat(spec.AddedTokens))
        {
            if (token.Id < 0 || token.Id >= ids.Length || ids[token.Id])
                throw new InvalidDataException($"{path}: token '{token.Text}' has id {token.Id}, which is outside 0..{spec.VocabSize - 1} or already taken.");
            ids[token.Id] = true;
        }
        int missing = Array.IndexOf(ids, false);
        if (spec.Ranks > spec.VocabSize || missing >= 0)
            throw new InvalidDataException($"{path}: ids do not cover 0..{spec.VocabSize - 1} exactly once (first gap: {missing}).");
        return spec;
    }

    /// <summary>The tiktoken ranks text of <paramref name="model"/> (what <see cref="RanksFileName"/> holds).</summary>
    internal static void WriteRanks(BpeTokenizerModel model, Stream stream)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        foreach (var (bytes, id) in model.OrdinaryTokens())
        {
            writer.Write(Convert.ToBase64String(bytes));
            writer.Write(' ');
            writer.Write(id.ToString(CultureInfo.InvariantCulture));
            writer.Write('\n');
        }
    }

    static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
