namespace LlmOps.Core.Data.Cleaning;

/// <summary>
/// The C4 cleaning rules (Raffel et al. 2020, section 2.2), as TFDS's <c>c4_utils.clean_page</c> and datatrove's
/// <c>C4QualityFilter</c> implement them; the defaults are theirs. Each rule can be switched off (false or null).
/// </summary>
public sealed record C4LineConfig
{
    /// <summary>Drop lines that do not end in <c>.</c>, <c>?</c>, <c>!</c>, <c>"</c> or <c>'</c>, or that end in an
    /// ellipsis (<c>...</c>): menus, headings, buttons and truncated snippets.</summary>
    public bool DropLinesWithoutTerminalPunctuation { get; init; } = true;

    /// <summary>Drop lines with fewer words than this (whitespace words).</summary>
    public int? MinWordsPerLine { get; init; } = 3;

    /// <summary>Drop lines with a word longer than this many characters (base64 blobs, minified code).</summary>
    public int? MaxWordLength { get; init; } = 1000;

    /// <summary>Drop lines that mention "javascript" (any case): "please enable JavaScript" notices.</summary>
    public bool DropJavascriptLines { get; init; } = true;

    /// <summary>Drop lines containing one of <see cref="PolicyPhrases"/> (any case): cookie and terms boilerplate.</summary>
    public bool DropPolicyLines { get; init; } = true;

    /// <summary>The boilerplate phrases (lower case), TFDS's and datatrove's list.</summary>
    public IReadOnlyList<string> PolicyPhrases { get; init; } =
        ["terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies"];

    /// <summary>Remove Wikipedia-style citation marks (<c>[1]</c>, <c>[edit]</c>, <c>[citation needed]</c>) from
    /// lines before the punctuation check, so a cited sentence still ends in its full stop.</summary>
    public bool RemoveCitations { get; init; } = true;

    /// <summary>Remove the document when a line that got this far contains "lorem ipsum" (any case): placeholder pages.</summary>
    public bool RemoveDocumentWithLoremIpsum { get; init; } = true;

    /// <summary>Remove the document when a line that got this far contains <c>{</c>: code, not prose.</summary>
    public bool RemoveDocumentWithCurlyBracket { get; init; } = true;

    /// <summary>Remove the document when the kept lines hold fewer sentences than this (<see cref="TextUnits.Sentences"/>).</summary>
    public int? MinSentences { get; init; } = 5;
}
