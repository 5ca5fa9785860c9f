namespace LlmOps.Core.Training;

/// <summary>Which parameters AdamW decays and which it leaves alone, by state-dict name.</summary>
/// <param name="Decay">Matrices (two or more dimensions): linear weights and embeddings.</param>
/// <param name="NoDecay">Vectors: biases and LayerNorm gains.</param>
/// <param name="DecayParameters">Elements in the decayed tensors.</param>
/// <param name="NoDecayParameters">Elements in the others.</param>
public sealed record ParameterGroupSplit(IReadOnlyList<string> Decay, IReadOnlyList<string> NoDecay, long DecayParameters, long NoDecayParameters);
