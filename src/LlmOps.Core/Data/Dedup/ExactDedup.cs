using LlmOps.Core.Data.Cleaning;

namespace LlmOps.Core.Data.Dedup;

/// <summary>
/// Removes a document whose normal form (<see cref="TextUnits.NormalizeForMatching"/>: case, punctuation and spacing
/// ignored) equals an earlier document's, naming the first one. It remembers a 128-bit slice of each normal form's
/// SHA-256 and the first id: a few dozen bytes per distinct document whatever its length, and a chance collision
/// (which would wrongly remove a document) is about n²/2^129, nil for any real corpus.
/// </summary>
public sealed class ExactDedup : ICleaningStep
{
    /// <summary>The rule named in the rejects file.</summary>
    public const string Rule = "exact-dedup:normalized-text";

    readonly Dictionary<UInt128, string> firstIdByHash = [];

    /// <inheritdoc />
    public string Name => "exact-dedup";

    /// <inheritdoc />
    public object Config => new ExactDedupConfig();

    /// <summary>How many distinct normal forms were seen.</summary>
    public int DistinctCount => firstIdByHash.Count;

    /// <inheritdoc />
    public Document? Apply(Document document, StepRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(recorder);
        UInt128 key = ContentHash.Of(TextUnits.NormalizeForMatching(document.Text));
        if (firstIdByHash.TryGetValue(key, out string? first))
            return recorder.Remove(Rule, $"exact duplicate of {first} (same normalised text)");
        firstIdByHash.Add(key, document.Id);
        return document;
    }
}
