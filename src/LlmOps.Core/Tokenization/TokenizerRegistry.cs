using System.Collections.Concurrent;

namespace LlmOps.Core.Tokenization;

/// <summary>
/// Tokenizers by name, offline: OpenAI's <c>o200k_base</c> and <c>cl100k_base</c> from the Microsoft.ML.Tokenizers data
/// packages, our trained tokenizers as folders under <see cref="Root"/>, and any tokenizer folder given by path. One
/// lookup for notebooks, the CLI and the model layer, so a run can record a tokenizer by name and reload it. Loaded
/// tokenizers are kept for the life of the registry (a vocabulary is megabytes; loading it per call would dominate).
/// </summary>
/// <param name="root">Folder holding trained tokenizers, one folder each; default <see cref="DefaultRoot"/>
/// (relative to the working directory).</param>
public sealed class TokenizerRegistry(string? root = null)
{
    /// <summary>Where trained tokenizers live unless a registry is told otherwise.</summary>
    public const string DefaultRoot = "artifacts/tokenizers";

    /// <summary>The tiktoken vocabularies that ship with the data packages.</summary>
    public static IReadOnlyList<string> BuiltIn { get; } = ["o200k_base", "cl100k_base"];

    readonly ConcurrentDictionary<string, Lazy<LlmTokenizer>> loaded = new(StringComparer.Ordinal);

    /// <summary>The folder trained tokenizers are looked up in and saved to.</summary>
    public string Root { get; } = root ?? DefaultRoot;

    /// <summary>Every name <see cref="Get"/> accepts: the built-ins, then trained tokenizers under <see cref="Root"/> by name.</summary>
    public IReadOnlyList<string> Names =>
        [.. BuiltIn, .. (Directory.Exists(Root)
            ? Directory.EnumerateDirectories(Root).Where(TokenizerFolder.Exists).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal)
            : Enumerable.Empty<string>())];

    /// <summary>The folder a trained tokenizer called <paramref name="name"/> has (or would have) under <see cref="Root"/>.</summary>
    public string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>Saves <paramref name="model"/> under <see cref="Root"/> as <paramref name="name"/> (default: its own name)
    /// and returns the folder.</summary>
    /// <exception cref="ArgumentException">The name is a built-in's or not a plain folder name.</exception>
    public string Save(BpeTokenizerModel model, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        name ??= model.Name;
        if (BuiltIn.Contains(name) || name.Length == 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name is "." or "..")
            throw new ArgumentException($"'{name}' cannot name a trained tokenizer folder (built-in name or not a plain folder name).", nameof(name));
        string folder = PathOf(name);
        TokenizerFolder.Save(model, folder);
        loaded.TryRemove(Path.GetFullPath(folder), out _);
        return folder;
    }

    /// <summary>The tokenizer called <paramref name="name"/>: a built-in, a trained tokenizer under <see cref="Root"/>,
    /// or a path to a tokenizer folder.</summary>
    /// <exception cref="KeyNotFoundException">Nothing by that name; the message lists what exists.</exception>
    /// <exception cref="InvalidDataException">The folder exists but is not a valid tokenizer folder.</exception>
    public LlmTokenizer Get(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (BuiltIn.Contains(name))
            return loaded.GetOrAdd(name, n => new Lazy<LlmTokenizer>(() => LlmTokenizer.ForEncoding(n))).Value;
        string? folder = TokenizerFolder.Exists(name) ? name : TokenizerFolder.Exists(PathOf(name)) ? PathOf(name) : null;
        if (folder is null)
        {
            string hint = Directory.Exists(PathOf(name)) || Directory.Exists(name)
                ? $" The folder exists but has no {TokenizerFolder.SpecFileName}."
                : "";
            throw new KeyNotFoundException(
                $"No tokenizer '{name}'.{hint} Known: {string.Join(", ", Names)} (trained tokenizers are folders under {Path.GetFullPath(Root)}; a path to a tokenizer folder works too).");
        }
        return loaded.GetOrAdd(Path.GetFullPath(folder), f => new Lazy<LlmTokenizer>(() => TokenizerFolder.Load(f))).Value;
    }
}
