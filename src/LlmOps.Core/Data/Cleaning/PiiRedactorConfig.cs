namespace LlmOps.Core.Data.Cleaning;

/// <summary>Which kinds of personal data <see cref="PiiRedactor"/> replaces; the rest are left in the text (and not counted).</summary>
public sealed record PiiRedactorConfig
{
    /// <summary>The kinds to redact; all of them by default.</summary>
    public IReadOnlyList<PiiKind> Kinds { get; init; } = Enum.GetValues<PiiKind>();
}
