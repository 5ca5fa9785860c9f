using System.Globalization;

namespace LlmOps.Core.Data.Dedup;

/// <summary>What <see cref="NearDedup"/> decided about one document.</summary>
/// <param name="Id">The document's id.</param>
/// <param name="DuplicateOf">The id of the earlier kept document it duplicates, or null when it was kept.</param>
/// <param name="Jaccard">The Jaccard similarity with that document (null when kept): exact when
/// <paramref name="Exact"/>, else the signatures' estimate.</param>
/// <param name="Exact">Whether <paramref name="Jaccard"/> was computed from the shingle sets.</param>
/// <param name="Candidates">How many earlier kept documents shared an LSH band with it (the comparisons it cost).</param>
public sealed record NearDedupDecision(string Id, string? DuplicateOf, double? Jaccard, bool Exact, int Candidates)
{
    /// <summary>True when the document is removed.</summary>
    public bool Removed => DuplicateOf is not null;

    /// <summary>The rejects file's reason, e.g. <c>near duplicate of a/17 (Jaccard 0.93)</c>; null when kept.</summary>
    public string? Detail => DuplicateOf is null
        ? null
        : string.Create(CultureInfo.InvariantCulture, $"near duplicate of {DuplicateOf} ({(Exact ? "" : "estimated ")}Jaccard {Jaccard:0.00})");
}
