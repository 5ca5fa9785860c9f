namespace LlmOps.Core.Tokenization;

/// <summary>
/// How to train a byte-level BPE tokenizer. Training is deterministic (ties between equally frequent pairs go to the
/// smallest pair of ids), so there is no seed: the same corpus and config always give the same ranks.
/// </summary>
/// <param name="VocabSize">Target size of the id space: 256 byte tokens + learned merges + special tokens. Training
/// stops earlier when no pair reaches <see cref="MinFrequency"/>.</param>
/// <param name="SpecialTokens">Special tokens, given ids right after the ranks in this order. Their text in the training
/// corpus splits chunks and is not counted, so the merges never learn pieces of a control marker. Null means
/// <c>["&lt;|endoftext|&gt;"]</c>; an empty list means none.</param>
/// <param name="Pattern">The pre-tokenization regex (.NET syntax) that cuts text into chunks merges never cross. Null
/// means GPT-4's cl100k pattern (<see cref="Gpt4Pattern"/>). It must match every character, or text is lost.</param>
/// <param name="MinFrequency">A pair seen fewer times than this is never merged: a token for a one-off string wastes
/// an embedding row.</param>
/// <param name="Name">The tokenizer's name (the folder name in the registry by convention).</param>
public sealed record BpeTrainerConfig(
    int VocabSize = 8192,
    IReadOnlyList<string>? SpecialTokens = null,
    string? Pattern = null,
    int MinFrequency = 2,
    string Name = "bpe")
{
    /// <summary>The usual end-of-document marker, the default special token.</summary>
    public const string EndOfText = "<|endoftext|>";

    /// <summary>GPT-4's pre-tokenization pattern, the default (<see cref="PreTokenizerPatterns.Cl100kBase"/>).</summary>
    public const string Gpt4Pattern = PreTokenizerPatterns.Cl100kBase;
    /// <summary>The special tokens in effect (the default when none were given).</summary>
    public IReadOnlyList<string> EffectiveSpecialTokens => SpecialTokens ?? [EndOfText];

    /// <summary>The pattern in effect (GPT-4's when none was given).</summary>
    public string EffectivePattern => Pattern ?? Gpt4Pattern;
}
