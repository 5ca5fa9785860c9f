using System.Text.Json;
using System.Text.Json.Serialization;
using LlmOps.Core.Data.Dedup;

namespace LlmOps.Core.Data.Cleaning;

/// <summary>
/// Which cleaning steps run, with which settings, in the order FineWeb-style pipelines use: normalise, Gopher
/// repetition and quality filters, C4 line rules, exact then near dedup, cross-document line dedup, detox, and PII
/// redaction last (so dedup and quality see the original text). A null setting turns its step off. Saved and loaded
/// as JSON, and written into every run manifest.
/// </summary>
/// <param name="Normalize">Unicode, whitespace and HTML normalisation.</param>
/// <param name="Repetition">Gopher repetition rules.</param>
/// <param name="Quality">Gopher quality rules.</param>
/// <param name="C4">C4 line rules; off by default (they remove most emails and speeches' short lines).</param>
/// <param name="ExactDedup">Whether exact dedup on the normal form runs.</param>
/// <param name="NearDedup">MinHash LSH near dedup.</param>
/// <param name="LineDedup">Drops long lines seen in earlier documents (list footers, signatures).</param>
/// <param name="Detox">Word-list detox.</param>
/// <param name="Pii">PII redaction with typed placeholders.</param>
public sealed record CleaningRecipe(
    TextNormalizerConfig? Normalize,
    GopherRepetitionConfig? Repetition,
    GopherQualityConfig? Quality,
    C4LineConfig? C4,
    bool ExactDedup,
    MinHashConfig? NearDedup,
    LineDedupConfig? LineDedup,
    DetoxConfig? Detox,
    PiiRedactorConfig? Pii)
{
    static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The default recipe: every step but the C4 line rules, each with its published defaults.</summary>
    public static CleaningRecipe Default() => new(
        new TextNormalizerConfig(), new GopherRepetitionConfig(), new GopherQualityConfig(), null, true,
        new MinHashConfig(), new LineDedupConfig(), DetoxConfig.English(), new PiiRedactorConfig());

    /// <summary>Fresh step instances, in pipeline order (dedup steps remember what they saw, so build once per run).</summary>
    public IReadOnlyList<ICleaningStep> BuildSteps()
    {
        var steps = new List<ICleaningStep>();
        if (Normalize is not null) steps.Add(new TextNormalizer(Normalize));
        if (Repetition is not null) steps.Add(new GopherRepetitionFilter(Repetition));
        if (Quality is not null) steps.Add(new GopherQualityFilter(Quality));
        if (C4 is not null) steps.Add(new C4LineFilter(C4));
        if (ExactDedup) steps.Add(new Dedup.ExactDedup());
        if (NearDedup is not null) steps.Add(new Dedup.NearDedup(NearDedup));
        if (LineDedup is not null) steps.Add(new Dedup.LineDedup(LineDedup));
        if (Detox is not null) steps.Add(new Cleaning.Detox(Detox));
        if (Pii is not null) steps.Add(new PiiRedactor(Pii));
        return steps;
    }

    /// <summary>The recipe as JSON (every step present; null means off).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <summary>Reads a recipe from a JSON file.</summary>
    /// <exception cref="InvalidDataException">The file is not a recipe; the message names the file, line and problem.</exception>
    public static CleaningRecipe Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<CleaningRecipe>(File.ReadAllText(path), Options)
                ?? throw new InvalidDataException($"{path}: empty recipe.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}:{(e.LineNumber ?? 0) + 1}: not a cleaning recipe: {e.Message}", e);
        }
    }
}
