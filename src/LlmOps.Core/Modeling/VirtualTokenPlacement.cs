namespace LlmOps.Core.Modeling;

/// <summary>Where a <see cref="Gpt"/> puts the vectors its <see cref="VirtualTokens"/> make.</summary>
public enum VirtualTokenPlacement
{
    /// <summary>Before the token embeddings, as N extra inputs at positions 0..N-1 (prompt tuning, P-tuning); the
    /// rows are [N, embedding].</summary>
    Input = 0,

    /// <summary>Before every layer's attention keys and values, as if N tokens were already cached (prefix tuning);
    /// the rows are [N, layers·2·embedding] in peft's past_key_values order: for layer l, row block 2l holds the keys
    /// and 2l+1 the values, each [heads, head size].</summary>
    AttentionPrefix = 1,
}
