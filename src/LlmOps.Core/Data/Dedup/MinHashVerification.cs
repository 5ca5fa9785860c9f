namespace LlmOps.Core.Data.Dedup;

/// <summary>How <see cref="NearDedup"/> confirms an LSH band collision before removing a document.</summary>
public enum MinHashVerification
{
    /// <summary>Any band collision removes (FineWeb's choice: fastest, most false positives).</summary>
    None,
    /// <summary>The signatures' estimated Jaccard must reach the threshold (112 hashes: standard error ~0.04 near 0.8,
    /// so pairs just either side of the threshold are decided by noise).</summary>
    Estimate,
    /// <summary>The exact Jaccard of the shingle sets must reach the threshold: no false positives, at the cost of
    /// keeping each kept document's shingle hashes (8 bytes per distinct shingle, about 1.5× the text's size).</summary>
    Exact,
}
