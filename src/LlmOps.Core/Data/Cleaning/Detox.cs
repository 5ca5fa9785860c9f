using System.Text.RegularExpressions;

namespace LlmOps.Core.Data.Cleaning;

/// <summary>
/// Finds listed offensive terms and removes the document or masks them (<see cref="DetoxConfig"/>). A hit is a whole
/// word or phrase: it is not preceded or followed by a letter, digit or underscore, so "ass" matches "ass" and "ass!"
/// but not "class" or "assassin". Overlapping terms take the longest ("son of a bitch" over "bitch"). Counters:
/// <c>detox:&lt;term&gt;</c> per hit, in both modes; removal rule <c>detox:terms</c>, its detail the hit count, the bound
/// and the terms hit.
/// </summary>
public sealed class Detox : ICleaningStep
{
    readonly DetoxConfig config;
    readonly Regex? pattern;

    /// <summary>Builds the matcher once for the whole corpus (one compiled alternation of all terms).</summary>
    public Detox(DetoxConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        this.config = config;
        var alternatives = config.Terms
            .Select(t => string.Join(' ', TextUnits.Words(t)).ToLowerInvariant())
            .Where(t => t.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(t => t.Length)
            .Select(t => string.Join(@"\s+", TextUnits.Words(t).Select(Regex.Escape)))
            .ToList();
        if (alternatives.Count > 0)
            pattern = new Regex($@"(?<![\p{{L}}\p{{N}}_])(?:{string.Join('|', alternatives)})(?![\p{{L}}\p{{N}}_])",
                RegexOptions.Compiled | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    /// <inheritdoc />
    public string Name => "detox";

    /// <inheritdoc />
    public object Config => config;

    /// <summary>Each hit in <paramref name="text"/>, in text order.</summary>
    public IReadOnlyList<DetoxHit> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (pattern is null)
            return [];
        return [.. pattern.Matches(text).Select(m => new DetoxHit(m.Index, m.Length, string.Join(' ', TextUnits.Words(m.Value)).ToLowerInvariant()))];
    }

    /// <inheritdoc />
    public Document? Apply(Document document, StepRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(recorder);
        var hits = Find(document.Text);
        if (hits.Count == 0)
            return document;
        foreach (var hit in hits)
            recorder.Count($"detox:{hit.Term}");

        if (config.Mode == DetoxMode.RemoveDocument)
        {
            if (hits.Count < config.MinHits)
                return document;
            var terms = hits.GroupBy(h => h.Term).Select(g => g.Count() == 1 ? g.Key : $"{g.Key} ×{g.Count()}");
            return recorder.Remove("detox:terms", $"{hits.Count} hits >= {config.MinHits}: {string.Join(", ", terms)}");
        }
        string masked = pattern!.Replace(document.Text, config.Placeholder);
        return document with { Text = masked };
    }
}
