using LlmOps.Core.Peft;

namespace LlmOps.Core.FineTuning;

/// <summary>What rebuilds a parameter-efficient model around its trained tensors (<see cref="PeftCheckpoint"/>'s
/// <c>peft.json</c>).</summary>
/// <param name="Method">The method's name (<see cref="PeftFactory.Names"/>).</param>
/// <param name="Settings">The method's knobs.</param>
/// <param name="Seed">The seed the method's parameters were initialised with (they are overwritten on load, but a method
/// may keep non-trained state that depends on it).</param>
/// <param name="BaseModel">The base checkpoint folder, in full.</param>
/// <param name="VocabSize">The vocabulary the base was resized to (chat tokens added), or its own.</param>
/// <param name="Tokenizer">The tokenizer to serve with (a registry name or folder).</param>
/// <param name="DataManifestId">The base's data manifest, when it names one.</param>
/// <param name="RowsCopied">Embedding rows of added tokens set from another row after resizing (target id → source id:
/// the end-of-turn marker from the end-of-document token); null or empty when the added rows are the mean of the base's.</param>
/// <param name="Extra">Step and losses of the moment.</param>
/// <param name="Format">The file's format tag; set when written.</param>
/// <param name="TrainableTokens">Token ids whose embedding rows trained (peft's <c>trainable_token_indices</c>), or null.</param>
public sealed record PeftCheckpointInfo(
    string Method,
    PeftSettings Settings,
    int Seed,
    string BaseModel,
    int VocabSize,
    string? Tokenizer,
    string? DataManifestId,
    IReadOnlyDictionary<int, int>? RowsCopied,
    IReadOnlyDictionary<string, string> Extra,
    string? Format = null,
    IReadOnlyList<int>? TrainableTokens = null);
