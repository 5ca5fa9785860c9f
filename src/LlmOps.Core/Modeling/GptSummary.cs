namespace LlmOps.Core.Modeling;

/// <summary>A model's architecture at a glance: every parameter tensor and the totals that size a training run.</summary>
/// <param name="Config">The shape.</param>
/// <param name="Rows">Parameter tensors in state-dict order; a tied head appears once more with 0 parameters.</param>
/// <param name="Parameters">All parameters, tied ones counted once.</param>
/// <param name="NonEmbeddingParameters">Without lookup-only embeddings (the N of scaling laws and of the FLOPs estimate).</param>
/// <param name="FlopsPerToken">Training FLOPs per token at the block size (6N + 12·L·H·Q·T).</param>
public sealed record GptSummary(
    GptConfig Config,
    IReadOnlyList<GptSummaryRow> Rows,
    long Parameters,
    long NonEmbeddingParameters,
    double FlopsPerToken);
