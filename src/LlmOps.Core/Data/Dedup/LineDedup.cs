using LlmOps.Core.Data.Cleaning;

namespace LlmOps.Core.Data.Dedup;

/// <summary>
/// Line-level deduplication across documents (CCNet-style): a line whose normal form has at least
/// <see cref="LineDedupConfig.MinChars"/> characters and already appeared in <see cref="LineDedupConfig.SeenInDocuments"/>
/// earlier documents is dropped from the text. This strips mailing-list footers, signatures and legal boilerplate that
/// repeat across emails while keeping each message's own words; lines repeated within one document are kept, since
/// only repetition across documents marks boilerplate. A document left with no non-blank line is removed.
/// Memory: a 128-bit hash and a count per distinct long line.
/// </summary>
public sealed class LineDedup : ICleaningStep
{
    /// <summary>The rule named in the rejects file.</summary>
    public const string Rule = "line-dedup:no-lines-left";

    readonly LineDedupConfig config;
    readonly Dictionary<UInt128, int> documentsWithLine = [];

    /// <summary>Creates the step.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="LineDedupConfig.MinChars"/> is negative or
    /// <see cref="LineDedupConfig.SeenInDocuments"/> is below 1.</exception>
    public LineDedup(LineDedupConfig? config = null)
    {
        this.config = config ?? new LineDedupConfig();
        ArgumentOutOfRangeException.ThrowIfNegative(this.config.MinChars, nameof(LineDedupConfig.MinChars));
        ArgumentOutOfRangeException.ThrowIfLessThan(this.config.SeenInDocuments, 1, nameof(LineDedupConfig.SeenInDocuments));
    }

    /// <inheritdoc />
    public string Name => "line-dedup";

    /// <inheritdoc />
    public object Config => config;

    /// <inheritdoc />
    public Document? Apply(Document document, StepRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(recorder);
        string[] lines = TextUnits.Lines(document.Text);
        var kept = new List<string>(lines.Length);
        var inThisDocument = new HashSet<UInt128>();
        int removed = 0, nonBlankBefore = 0;
        foreach (string line in lines)
        {
            if (!string.IsNullOrWhiteSpace(line))
                nonBlankBefore++;
            string normal = TextUnits.NormalizeForMatching(line);
            if (normal.Length < config.MinChars)
            {
                kept.Add(line);
                continue;
            }
            UInt128 key = ContentHash.Of(normal);
            inThisDocument.Add(key);
            // Counts cover earlier documents only (this one's lines are added once it is decided), so a line repeated
            // inside this document alone is kept.
            if (documentsWithLine.GetValueOrDefault(key) >= config.SeenInDocuments)
                removed++;
            else
                kept.Add(line);
        }
        foreach (var key in inThisDocument)
            documentsWithLine[key] = documentsWithLine.GetValueOrDefault(key) + 1;

        if (removed == 0)
            return document;
        recorder.Count("lines-removed", removed);
        if (!kept.Exists(line => !string.IsNullOrWhiteSpace(line)))
            return recorder.Remove(Rule, $"all {nonBlankBefore} non-blank lines repeat lines of earlier documents");
        return document with { Text = string.Join('\n', kept) };
    }
}
