namespace LlmOps.Core.Modeling;

/// <summary>How a <see cref="Gpt"/> tells the attention where each token sits.</summary>
public enum PositionEncoding
{
    /// <summary>GPT-2's learned absolute position embeddings (<c>wpe</c>): simple, but the model never sees a
    /// position past <see cref="GptConfig.BlockSize"/>.</summary>
    Learned = 0,

    /// <summary>Rotary embeddings (RoPE, Su et al. 2021) applied to queries and keys: no position parameters, and
    /// attention depends only on the distance between tokens.</summary>
    Rotary = 1,
}
