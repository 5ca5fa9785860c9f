namespace LlmOps.Core.Tokenization;

/// <summary>
/// What happens to special-token text (such as <c>&lt;|endoftext|&gt;</c>) that occurs inside the text being
/// encoded. Data scraped from the web contains such strings; whether they become control tokens must be a decision
/// made at the call site, never an accident of the tokenizer's defaults.
/// </summary>
public enum SpecialTokenPolicy
{
    /// <summary>Special-token text is ordinary text and is encoded with the ordinary ranks: data can never inject a
    /// control token. The default for corpora.</summary>
    PlainText = 0,

    /// <summary>Special-token text becomes the special token's id: for prompts and templates the program itself
    /// builds, where the markers are meant.</summary>
    Allowed,

    /// <summary>Special-token text is an error naming the token and its position (tiktoken's default), for inputs
    /// that should never contain it.</summary>
    Disallowed,
}
