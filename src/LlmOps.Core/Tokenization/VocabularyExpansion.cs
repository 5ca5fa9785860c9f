using System.Text;

namespace LlmOps.Core.Tokenization;

/// <summary>
/// Adds domain tokens ("LlmOps", "TorchSharp") to a trained tokenizer after training, with ids after every existing
/// id, so a model trained with the old vocabulary only needs new embedding rows (<see cref="EmbeddingResize"/>).
/// </summary>
/// <remarks>
/// An added token is an ordinary rank used whole: encoding looks each chunk up as a whole before merging, so the
/// token is produced exactly when the pre-tokenization pattern cuts a chunk equal to it. A token the pattern splits
/// (with GPT-4's pattern, "C#" becomes "C" and "#") could therefore never be produced; <see cref="AddTokens"/> rejects
/// it with the pieces in the message rather than adding a dead row. Such strings can be added with
/// <see cref="AddSpecialTokens"/>, which makes them special tokens: produced only under
/// <see cref="SpecialTokenPolicy.Allowed"/>, matched before the pattern runs. Because chunks mid-sentence carry their
/// leading space (" LlmOps"), <see cref="AddTokens"/> also adds the space-prefixed form unless told not to.
/// </remarks>
public static class VocabularyExpansion
{
    /// <summary>Adds <paramref name="tokens"/> (and, by default, each with a leading space) as ordinary tokens.</summary>
    /// <exception cref="ArgumentException">A token is empty or the pattern splits it; the message names every such
    /// token and its pieces.</exception>
    public static VocabularyExpansionResult AddTokens(BpeTokenizerModel model, IEnumerable<string> tokens, bool addSpacePrefixed = true, string? newName = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokens);
        var requested = tokens.ToList();
        var regex = model.CreateRegex();
        var split = requested.Where(t => t.Length == 0 || Chunks(regex, t).Count != 1).ToList();
        if (split.Count > 0)
            throw new ArgumentException(
                "The pre-tokenization pattern splits these tokens, so encoding could never produce them: "
                + string.Join("; ", split.Select(t => $"'{t}' -> {string.Join(" | ", Chunks(regex, t).Select(c => $"'{c}'"))}"))
                + ". Add them with AddSpecialTokens (encoded only with SpecialTokenPolicy.Allowed) or choose tokens the pattern keeps whole.",
                nameof(tokens));

        var existing = new HashSet<string>(model.OrdinaryTokens().Select(t => Encoding.Latin1.GetString(t.Bytes)), StringComparer.Ordinal);
        var skipped = new List<string>();
        var added = new List<string>();
        foreach (string token in requested)
        {
            Consider(token, required: true);
            if (addSpacePrefixed && !token.StartsWith(' '))
                Consider(" " + token, required: false);
        }
        return Grow(model, added, asSpecial: false, skipped, newName);

        void Consider(string token, bool required)
        {
            if (!required && Chunks(regex, token).Count != 1)
                skipped.Add($"'{token}': the pattern splits it");
            else if (!existing.Add(Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(token))))
                skipped.Add($"'{token}': already a token");
            else
                added.Add(token);
        }
    }

    /// <summary>Adds <paramref name="tokens"/> as special tokens (markers a program inserts, such as chat-role tags).</summary>
    /// <exception cref="ArgumentException">A token is empty.</exception>
    public static VocabularyExpansionResult AddSpecialTokens(BpeTokenizerModel model, IEnumerable<string> tokens, string? newName = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokens);
        var skipped = new List<string>();
        var added = new List<string>();
        var existing = new HashSet<string>(model.SpecialTokens.Select(t => t.Text), StringComparer.Ordinal);
        foreach (string token in tokens)
        {
            if (token.Length == 0)
                throw new ArgumentException("A special token is empty.", nameof(tokens));
            if (existing.Add(token))
                added.Add(token);
            else
                skipped.Add($"'{token}': already a special token");
        }
        return Grow(model, added, asSpecial: true, skipped, newName);
    }

    static VocabularyExpansionResult Grow(BpeTokenizerModel model, List<string> added, bool asSpecial, List<string> skipped, string? newName)
    {
        int first = model.VocabSize;
        var newTokens = added.Select((text, i) => new VocabularyToken(text, first + i)).ToList();
        var old = LlmTokenizer.FromModel(model);
        var pieces = newTokens.Select(t => old.Encode(t.Text, SpecialTokenPolicy.PlainText)).ToList();
        var grown = model with
        {
            Name = newName ?? model.Name,
            SpecialTokens = asSpecial ? [.. model.SpecialTokens, .. newTokens] : model.SpecialTokens,
            AddedTokens = asSpecial ? model.AddedTokens : [.. model.AddedTokens, .. newTokens],
        };
        return new VocabularyExpansionResult(grown, new EmbeddingResize(first, first + newTokens.Count, newTokens, pieces), skipped);
    }

    static List<string> Chunks(System.Text.RegularExpressions.Regex regex, string text) =>
        [.. regex.Matches(text).Select(m => m.Value)];
}
