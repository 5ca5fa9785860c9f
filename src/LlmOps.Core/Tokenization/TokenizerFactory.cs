using Microsoft.ML.Tokenizers;

namespace LlmOps.Core.Tokenization;

/// <summary>
/// The tiktoken encodings that ship with Core (o200k_base for GPT-4o and later, cl100k_base for GPT-4), always wrapped
/// in <see cref="DeterministicTokenizer"/>: a bare <see cref="TiktokenTokenizer"/> from ML.Tokenizers 2.0.1 loses its
/// special tokens after ~8192 distinct words and then encodes <c>&lt;|endoftext|&gt;</c> as ordinary text, so the same
/// document gets different ids depending on what the instance encoded before. Get every tiktoken encoding from here.
/// </summary>
public static class TokenizerFactory
{
    /// <summary>The encodings whose vocabularies Core carries offline.</summary>
    public static IReadOnlyList<string> Encodings { get; } = ["o200k_base", "cl100k_base"];

    /// <summary>A tiktoken encoding by name (<c>o200k_base</c>, <c>cl100k_base</c>), safe to share across documents and threads.</summary>
    public static Tokenizer ForEncoding(string encoding) => Wrap(TiktokenTokenizer.CreateForEncoding(encoding));

    /// <summary>The tiktoken encoding of an OpenAI model (<c>gpt-4o</c> → o200k_base, <c>gpt-4</c> → cl100k_base).</summary>
    public static Tokenizer ForModel(string model) => Wrap(TiktokenTokenizer.CreateForModel(model));

    /// <summary>Wraps a tiktoken tokenizer (one made elsewhere, with extra special tokens) so its ids stop depending on its history.</summary>
    public static Tokenizer Wrap(TiktokenTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return new DeterministicTokenizer(tokenizer, tokenizer.SpecialTokens);
    }
}
