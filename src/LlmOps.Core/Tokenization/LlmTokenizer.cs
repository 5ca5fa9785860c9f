using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace LlmOps.Core.Tokenization;

/// <summary>
/// The one tokenizer type the rest of the project uses, for our trained tokenizers and for OpenAI's tiktoken
/// vocabularies alike. Encoding runs on Microsoft.ML.Tokenizers (its fast, cached tiktoken encoder); what this adds
/// is an explicit <see cref="SpecialTokenPolicy"/> on every encode, so special-token text in data never becomes a
/// control token by accident, and a decode whose behaviour on partial UTF-8 is defined.
/// </summary>
/// <remarks>
/// Text is encoded as UTF-8. A .NET string may hold lone surrogates, which are not Unicode scalar values and have no
/// UTF-8 form: they are encoded as U+FFFD (the UTF-8 encoder's replacement), so decoding gives U+FFFD for each lone
/// surrogate; every other string round-trips exactly. Decoding joins the tokens' bytes and decodes them as UTF-8,
/// replacing each invalid sequence (a token sequence cut inside a character) with U+FFFD.
/// </remarks>
public sealed class LlmTokenizer
{
    const int CacheSize = 8192;
    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    readonly Lazy<TiktokenTokenizer> plain;
    readonly Dictionary<int, string> specialsById;
    readonly byte[]?[] tokenBytes;

    LlmTokenizer(string name, TiktokenTokenizer tokenizer, IReadOnlyDictionary<string, int> specialTokens, string pattern,
        byte[] ranks, BpeTokenizerModel? model)
    {
        Name = name;
        Tokenizer = new DeterministicTokenizer(tokenizer, specialTokens);
        SpecialTokens = specialTokens;
        Pattern = pattern;
        Model = model;
        var regex = BpeTokenizerModel.CreatePatternRegex(pattern);
        plain = new Lazy<TiktokenTokenizer>(() => Create(ranks, regex, null));
        specialsById = specialTokens.ToDictionary(s => s.Value, s => s.Key);
        var byId = ParseRanks(ranks);
        VocabSize = Math.Max(byId.Count == 0 ? 0 : byId.Keys.Max() + 1, specialTokens.Count == 0 ? 0 : specialTokens.Values.Max() + 1);
        tokenBytes = new byte[VocabSize][];
        foreach (var (id, bytes) in byId)
            tokenBytes[id] = bytes;
    }

    /// <summary>The tokenizer's name (<c>o200k_base</c>, or a trained tokenizer's name).</summary>
    public string Name { get; }

    /// <summary>Size of the id space: the rows a model's embedding needs.</summary>
    public int VocabSize { get; }

    /// <summary>Special tokens and their ids.</summary>
    public IReadOnlyDictionary<string, int> SpecialTokens { get; }

    /// <summary>The pre-tokenization pattern.</summary>
    public string Pattern { get; }

    /// <summary>The Microsoft.ML.Tokenizers tokenizer (special tokens recognised), for APIs that take a
    /// <see cref="Microsoft.ML.Tokenizers.Tokenizer"/>. It is wrapped in <see cref="DeterministicTokenizer"/>: a bare
    /// TiktokenTokenizer 2.0.1 keeps its special tokens only in its encode cache and loses them once the cache fills.</summary>
    public Tokenizer Tokenizer { get; }

    /// <summary>The model as data for our trained tokenizers; null for the tiktoken vocabularies.</summary>
    public BpeTokenizerModel? Model { get; }

    /// <summary>The folder spec of a trained tokenizer; null for the tiktoken vocabularies.</summary>
    public TokenizerSpec? Spec => Model is null ? null : TokenizerSpec.Of(Model);

    /// <summary>This tokenizer as the sharder's encoder: documents encoded as plain text (special-token text in data
    /// never becomes a control token), with <paramref name="separator"/>'s id after each document.</summary>
    /// <exception cref="ArgumentException">The tokenizer has no such special token; the message lists the ones it has.</exception>
    public Shards.ShardEncoder ToShardEncoder(string separator = BpeTrainerConfig.EndOfText) =>
        new(Name, text => Encode(text, SpecialTokenPolicy.PlainText), VocabSize,
            SpecialTokens.TryGetValue(separator, out int id)
                ? id
                : throw new ArgumentException($"{Name} has no special token {separator}; it has: {string.Join(", ", SpecialTokens.Keys)}.", nameof(separator)));

    /// <summary>An encoder for a trained model, built from its tiktoken ranks exactly as a folder load builds it.</summary>
    public static LlmTokenizer FromModel(BpeTokenizerModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var buffer = new MemoryStream();
        TokenizerFolder.WriteRanks(model, buffer);
        byte[] ranks = buffer.ToArray();
        var specials = model.SpecialTokens.ToDictionary(t => t.Text, t => t.Id, StringComparer.Ordinal);
        var tokenizer = Create(ranks, model.CreateRegex(), specials);
        return new LlmTokenizer(model.Name, tokenizer, specials, model.Pattern, ranks, model);
    }

    /// <summary>One of the tiktoken vocabularies the Microsoft.ML.Tokenizers data packages carry (offline):
    /// <c>o200k_base</c> (GPT-4o) or <c>cl100k_base</c> (GPT-4).</summary>
    /// <exception cref="ArgumentException">Another name.</exception>
    public static LlmTokenizer ForEncoding(string encoding)
    {
        var (pattern, package) = encoding switch
        {
            "o200k_base" => (PreTokenizerPatterns.O200kBase, "Microsoft.ML.Tokenizers.Data.O200kBase"),
            "cl100k_base" => (PreTokenizerPatterns.Cl100kBase, "Microsoft.ML.Tokenizers.Data.Cl100kBase"),
            _ => throw new ArgumentException($"No built-in tiktoken encoding '{encoding}'; there are o200k_base and cl100k_base.", nameof(encoding)),
        };
        var tokenizer = TiktokenTokenizer.CreateForEncoding(encoding);
        var specials = tokenizer.SpecialTokens ?? new Dictionary<string, int>();
        return new LlmTokenizer(encoding, tokenizer, specials, pattern, PackagedRanks(package, encoding), model: null);
    }

    /// <summary>Token ids for <paramref name="text"/>, with special-token text treated as <paramref name="policy"/> says.</summary>
    /// <exception cref="ArgumentException">Policy <see cref="SpecialTokenPolicy.Disallowed"/> and the text contains a
    /// special token; the message names it and its position.</exception>
    public int[] Encode(string text, SpecialTokenPolicy policy = SpecialTokenPolicy.PlainText)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = WithoutLoneSurrogates(text);
        return [.. EncoderFor(text, policy).EncodeToIds(text)];
    }

    /// <summary>How this tokenizer cuts <paramref name="text"/>, with special-token text treated as <paramref name="policy"/>
    /// says (so the view shows exactly the ids <see cref="Encode"/> returns).</summary>
    public TokenView View(string text, SpecialTokenPolicy policy = SpecialTokenPolicy.PlainText)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = WithoutLoneSurrogates(text);
        return TokenView.Of(EncoderFor(text, policy), Name, text);
    }

    /// <summary>How many tokens <see cref="Encode"/> would return, without building the list.</summary>
    public int CountTokens(string text, SpecialTokenPolicy policy = SpecialTokenPolicy.PlainText)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = WithoutLoneSurrogates(text);
        return EncoderFor(text, policy).CountTokens(text);
    }

    /// <summary>The text of <paramref name="ids"/>: their bytes joined and decoded as UTF-8 (invalid sequences become
    /// U+FFFD); special ids give their text.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id that is not in the vocabulary (the message gives its position).</exception>
    public string Decode(ReadOnlySpan<int> ids)
    {
        var bytes = new List<byte>(ids.Length * 4);
        var text = new StringBuilder();
        for (int i = 0; i < ids.Length; i++)
        {
            if (specialsById.TryGetValue(ids[i], out string? special))
            {
                Flush();
                text.Append(special);
            }
            else if (ids[i] >= 0 && ids[i] < tokenBytes.Length && tokenBytes[ids[i]] is { } token)
            {
                bytes.AddRange(token);
            }
            else
            {
                throw new ArgumentOutOfRangeException(nameof(ids), ids[i],
                    string.Create(CultureInfo.InvariantCulture, $"Token id {ids[i]} at position {i} is not in {Name} (vocabulary size {VocabSize})."));
            }
        }
        Flush();
        return text.ToString();

        void Flush()
        {
            text.Append(Utf8.GetString([.. bytes]));
            bytes.Clear();
        }
    }

    /// <summary>The bytes of one token (a special token's UTF-8 text), for token views that show partial characters.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The id is not in the vocabulary.</exception>
    public ReadOnlyMemory<byte> TokenBytes(int id) =>
        specialsById.TryGetValue(id, out string? special) ? Encoding.UTF8.GetBytes(special)
        : id >= 0 && id < tokenBytes.Length && tokenBytes[id] is { } token ? token
        : throw new ArgumentOutOfRangeException(nameof(id), id, $"Token id {id} is not in {Name}.");

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} ({VocabSize} tokens)");

    Tokenizer EncoderFor(string text, SpecialTokenPolicy policy)
    {
        switch (policy)
        {
            case SpecialTokenPolicy.Allowed:
                return Tokenizer;
            case SpecialTokenPolicy.Disallowed:
                var (token, position) = FirstSpecial(text);
                if (token is not null)
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"The text contains the special token '{token}' at character {position}. Encode with SpecialTokenPolicy.Allowed to make it the special token, or PlainText to encode it as ordinary text."),
                        nameof(text));
                return plain.Value;
            case SpecialTokenPolicy.PlainText:
                return plain.Value;
            default:
                throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown special-token policy.");
        }
    }

    (string? Token, int Position) FirstSpecial(string text)
    {
        (string? Token, int Position) first = (null, -1);
        foreach (string special in SpecialTokens.Keys)
        {
            int at = text.IndexOf(special, StringComparison.Ordinal);
            if (at >= 0 && (first.Token is null || at < first.Position || (at == first.Position && special.Length > first.Token.Length)))
                first = (special, at);
        }
        return first;
    }

    /// <summary>The text with each lone surrogate replaced by U+FFFD, as UTF-8 encoding defines it (Microsoft.ML.Tokenizers
    /// would otherwise encode a lone surrogate as its three generalized-UTF-8 bytes, which decode to three U+FFFD).</summary>
    static string WithoutLoneSurrogates(string text)
    {
        int at = text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF');
        if (at < 0)
            return text;
        StringBuilder? fixedText = null;
        for (int i = at; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i]))
                continue;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            fixedText ??= new StringBuilder(text);
            fixedText[i] = '\uFFFD';
        }
        return fixedText?.ToString() ?? text;
    }

    static TiktokenTokenizer Create(byte[] ranks, Regex regex, IReadOnlyDictionary<string, int>? specials)
    {
        var special = specials is { Count: > 0 } ? specials : null;
        using var stream = new MemoryStream(ranks, writable: false);
        return TiktokenTokenizer.Create(stream, new RegexPreTokenizer(regex, special), normalizer: null, special, CacheSize);
    }

    /// <summary>The tiktoken ranks file a Microsoft.ML.Tokenizers data package embeds (deflated), read offline.</summary>
    static byte[] PackagedRanks(string package, string encoding)
    {
        var assembly = Assembly.Load(new AssemblyName(package));
        string resource = encoding + ".tiktoken.deflate";
        using var compressed = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{package} has no resource {resource}; the data package layout changed.");
        using var inflated = new DeflateStream(compressed, CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        inflated.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>Token bytes by id from tiktoken ranks text: <c>base64 rank</c> lines, or the data packages' form
    /// (a <c>Capacity: n</c> header, then one base64 token per line with the line's index as its rank).</summary>
    static Dictionary<int, byte[]> ParseRanks(byte[] ranks)
    {
        var byId = new Dictionary<int, byte[]>();
        var rest = Encoding.ASCII.GetString(ranks).AsSpan();
        int implicitRank = 0;
        bool first = true;
        while (!rest.IsEmpty)
        {
            int end = rest.IndexOf('\n');
            var line = (end < 0 ? rest : rest[..end]).TrimEnd('\r');
            rest = end < 0 ? [] : rest[(end + 1)..];
            if (first && line.StartsWith("Capacity:", StringComparison.Ordinal))
            {
                first = false;
                continue;
            }
            first = false;
            if (line.IsEmpty)
                continue;
            int space = line.IndexOf(' ');
            int id = space < 0 ? implicitRank : int.Parse(line[(space + 1)..], NumberStyles.None, CultureInfo.InvariantCulture);
            byId[id] = Convert.FromBase64String((space < 0 ? line : line[..space]).ToString());
            implicitRank = id + 1;
        }
        return byId;
    }
}
