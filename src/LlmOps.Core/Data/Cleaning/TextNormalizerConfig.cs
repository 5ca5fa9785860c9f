namespace LlmOps.Core.Data.Cleaning;

/// <summary>What <see cref="TextNormalizer"/> changes; each can be switched off so a run can show its effect alone.</summary>
public sealed record TextNormalizerConfig
{
    /// <summary>Compose to Unicode NFC, so the same visible text has one byte form (dedup and tokenizers see one word,
    /// not two). NFC, not NFKC: compatibility folding would rewrite ligatures, superscripts and full-width text.</summary>
    public bool UnicodeNfc { get; init; } = true;

    /// <summary>Drop control characters (C0, DEL, C1) other than line breaks and tabs; they
    /// come from broken encodings and carry no text.</summary>
    public bool StripControlCharacters { get; init; } = true;

    /// <summary>Turn each run of spaces and tabs inside a line into one space.</summary>
    public bool CollapseSpaces { get; init; } = true;

    /// <summary>Remove spaces and tabs at the end of each line (not the start: indentation can carry meaning).</summary>
    public bool TrimLineEnds { get; init; } = true;

    /// <summary>The most blank lines kept in a row (default 1: paragraphs stay apart, padding goes); null keeps all.</summary>
    public int? MaxBlankLines { get; init; } = 1;

    /// <summary>Convert HTML to text with <see cref="HtmlText"/> when the document's <c>content_type</c> metadata is
    /// <c>text/html</c>, or its text looks like HTML (see <see cref="TextNormalizer.LooksLikeHtml"/>).</summary>
    public bool StripHtml { get; init; } = true;
}
