namespace LlmOps.Core.Data.Dedup;

/// <summary>
/// Settings of <see cref="ExactDedup"/>: none yet (the normal form and the hash are fixed), but a run manifest records
/// a record for every step, so exact dedup states its method here.
/// </summary>
/// <param name="Match">What is compared.</param>
/// <param name="Hash">How it is remembered.</param>
public sealed record ExactDedupConfig(string Match = "TextUnits.NormalizeForMatching", string Hash = "SHA-256, first 128 bits");
