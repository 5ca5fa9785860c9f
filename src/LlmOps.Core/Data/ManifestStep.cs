using System.Text.Json.Serialization;

namespace LlmOps.Core.Data;

/// <summary>One step's counts in a <see cref="DataManifest"/>.</summary>
/// <param name="Name">The step.</param>
/// <param name="Input">Documents in.</param>
/// <param name="Kept">Documents out.</param>
/// <param name="Changed">Kept documents whose text the step rewrote.</param>
/// <param name="RemovedBy">Removed documents per rule.</param>
public sealed record ManifestStep(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("input")] long Input,
    [property: JsonPropertyName("kept")] long Kept,
    [property: JsonPropertyName("changed")] long Changed,
    [property: JsonPropertyName("removed_by")] IReadOnlyDictionary<string, long> RemovedBy);
