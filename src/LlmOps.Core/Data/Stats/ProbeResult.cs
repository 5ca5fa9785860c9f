namespace LlmOps.Core.Data.Stats;

/// <summary>What one cleaning step would do to the corpus, measured without changing it: the share of documents it
/// would remove and its counters. Stats and cleaning share the step, so their numbers agree.</summary>
/// <param name="Name">The step's name (exact-dedup, near-dedup, pii, ...).</param>
/// <param name="Removed">Documents it would remove.</param>
/// <param name="RemovedShare">The same as a share of all documents.</param>
/// <param name="Counters">Its counters (PII hits by kind, ...).</param>
public sealed record ProbeResult(string Name, long Removed, double RemovedShare, IReadOnlyDictionary<string, long> Counters);
