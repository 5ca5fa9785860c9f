using System.Globalization;
using System.Text;
using LlmOps.Core.Tokenization;
using Microsoft.Extensions.AI;

namespace LlmOps.Core.Chat;

/// <summary>
/// How a conversation becomes the text a causal model continues, and where the model's answer ends. A model only
/// ever sees one token stream; the template is the contract between the data a model was tuned on and the prompts
/// it is served, so both must come from the same template (train chat data through <see cref="Encode"/> too).
/// </summary>
/// <remarks>
/// <para>Rendering is <see cref="Start"/>, then for every message <see cref="TurnStart"/> (with
/// <see cref="RolePlaceholder"/> replaced by the role, e.g. <c>user</c>) + the message text + <see cref="TurnEnd"/>,
/// then, to ask for an answer, <see cref="GenerationPrefix"/> (the assistant's turn start). With
/// <see cref="ChatMl"/> a user message "Hi" renders as
/// <c>&lt;|im_start|&gt;user\nHi&lt;|im_end|&gt;\n&lt;|im_start|&gt;assistant\n</c>.</para>
/// <para>Encoding keeps user text from ever becoming a control token: the template's own markers are encoded with
/// <see cref="SpecialTokenPolicy.Allowed"/> and every message text with <see cref="SpecialTokenPolicy.PlainText"/>,
/// then the ids are spliced together, so <c>&lt;|im_end|&gt;</c> typed by a user is ordinary text. That protection
/// holds only where the markers are special tokens of the tokenizer; plain-text markers (<see cref="Markers"/>) can
/// be imitated by typing them, which is why <see cref="For"/> prefers ChatML whenever the tokenizer has its tokens.</para>
/// </remarks>
/// <param name="Name">A short name for logs and metadata (<c>chatml</c>, <c>markers</c>, <c>completion</c>).</param>
/// <param name="TurnStart">Text before each message; <see cref="RolePlaceholder"/> stands for the role (at most once).</param>
/// <param name="TurnEnd">Text after each message's content.</param>
/// <param name="StopStrings">Text that ends the model's answer (matched on the decoded output and never returned):
/// the end-of-turn marker, and for plain-text templates the start of another turn, which a model that missed its
/// end marker tends to write next.</param>
/// <param name="Start">Text once before the first message (a begin-of-text marker, if the model was trained with one).</param>
public sealed record ChatTemplate(string Name, string TurnStart, string TurnEnd, IReadOnlyList<string> StopStrings, string Start = "")
{
    /// <summary>The placeholder in <see cref="TurnStart"/> that the message's role replaces.</summary>
    public const string RolePlaceholder = "{role}";

    /// <summary>ChatML's turn-start special token.</summary>
    public const string ImStart = "<|im_start|>";

    /// <summary>ChatML's end-of-turn special token.</summary>
    public const string ImEnd = "<|im_end|>";

    /// <summary>The special tokens a tokenizer needs for <see cref="ChatMl"/> (plus the usual end-of-text), ready for
    /// <see cref="BpeTrainerConfig.SpecialTokens"/> or a vocabulary expansion.</summary>
    public static IReadOnlyList<string> ChatMlSpecialTokens => [BpeTrainerConfig.EndOfText, ImStart, ImEnd];

    /// <summary>OpenAI's ChatML: <c>&lt;|im_start|&gt;{role}\n{text}&lt;|im_end|&gt;\n</c> per message; the answer
    /// ends at <c>&lt;|im_end|&gt;</c>. Injection-proof when the tokenizer has both markers as special tokens.</summary>
    public static ChatTemplate ChatMl => new("chatml", ImStart + RolePlaceholder + "\n", ImEnd + "\n", [ImEnd]);

    /// <summary>Plain-text role markers for a tokenizer without chat special tokens (Phi-3's layout):
    /// <c>&lt;|{role}|&gt;\n{text}&lt;|end|&gt;\n</c>; the answer ends at <c>&lt;|end|&gt;</c> or when the model
    /// starts another user or system turn.</summary>
    public static ChatTemplate Markers => new("markers", "<|" + RolePlaceholder + "|>\n", "<|end|>\n", ["<|end|>", "<|user|>", "<|system|>"]);

    /// <summary>No markers: the message texts are concatenated as they are, for a pretrained-only model that just
    /// continues text (a previous assistant message is then the earlier continuation, verbatim). Generation stops at
    /// the tokenizer's end-of-text token or the length limit.</summary>
    public static ChatTemplate Completion => new("completion", "", "", []);

    /// <summary>The template a tokenizer supports best: <see cref="ChatMl"/> when it has <see cref="ImStart"/> and
    /// <see cref="ImEnd"/> as special tokens, else <see cref="Markers"/>.</summary>
    public static ChatTemplate For(LlmTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return tokenizer.SpecialTokens.ContainsKey(ImStart) && tokenizer.SpecialTokens.ContainsKey(ImEnd) ? ChatMl : Markers;
    }

    /// <summary>The text that opens the assistant's turn, appended to a prompt to ask for an answer.</summary>
    public string GenerationPrefix => TurnStartFor(ChatRole.Assistant.Value);

    /// <summary>Checks the template, listing every problem at once.</summary>
    /// <exception cref="ArgumentException">A part is null, the role placeholder appears more than once, or a stop
    /// string is empty.</exception>
    public ChatTemplate Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name))
            problems.Add($"{nameof(Name)} must not be empty");
        if (TurnStart is null || TurnEnd is null || Start is null)
            problems.Add($"{nameof(TurnStart)}, {nameof(TurnEnd)} and {nameof(Start)} must not be null (use \"\")");
        else if (CountOf(TurnStart, RolePlaceholder) > 1)
            problems.Add($"{nameof(TurnStart)} may contain {RolePlaceholder} at most once");
        if (StopStrings is null || StopStrings.Any(string.IsNullOrEmpty))
            problems.Add($"{nameof(StopStrings)} must be a list without empty strings");
        return problems.Count == 0 ? this : throw new ArgumentException($"Invalid chat template: {string.Join("; ", problems)}.");
    }

    /// <summary>The prompt text for <paramref name="messages"/>, exactly what <see cref="Encode"/> encodes.</summary>
    /// <param name="messages">The conversation; each message contributes its <see cref="ChatMessage.Text"/> (non-text
    /// content such as images is left out: the model reads text only).</param>
    /// <param name="addGenerationPrefix">End with <see cref="GenerationPrefix"/> to ask the model for the next
    /// assistant turn; false renders a finished conversation (training data).</param>
    public string Render(IEnumerable<ChatMessage> messages, bool addGenerationPrefix = true)
    {
        var text = new StringBuilder();
        foreach (var (piece, _) in Pieces(messages, addGenerationPrefix))
            text.Append(piece);
        return text.ToString();
    }

    /// <summary>The prompt ids for <paramref name="messages"/>: the template's markers as the tokenizer's special
    /// tokens where it has them, every message text as plain text, so no message can inject a control token. Decoding
    /// the ids gives <see cref="Render"/>'s text.</summary>
    /// <param name="messages">The conversation (text content only, as in <see cref="Render"/>).</param>
    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <param name="addGenerationPrefix">As in <see cref="Render"/>.</param>
    /// <exception cref="ArgumentException">A role name contains special-token text (roles are program-defined names
    /// and are encoded with the markers, so they must not carry control tokens).</exception>
    public int[] Encode(IEnumerable<ChatMessage> messages, LlmTokenizer tokenizer, bool addGenerationPrefix = true)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var ids = new List<int>();
        foreach (var (piece, isContent) in Pieces(messages, addGenerationPrefix, tokenizer))
        {
            if (piece.Length > 0)
                ids.AddRange(tokenizer.Encode(piece, isContent ? SpecialTokenPolicy.PlainText : SpecialTokenPolicy.Allowed));
        }
        return [.. ids];
    }

    /// <summary>The rendered text in order, each piece marked as message content (plain text) or template (markers).</summary>
    IEnumerable<(string Piece, bool IsContent)> Pieces(IEnumerable<ChatMessage> messages, bool addGenerationPrefix, LlmTokenizer? tokenizer = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        Validate();
        var list = messages.ToList(); // checked before anything is produced
        if (list.Any(m => m is null))
            throw new ArgumentException("The conversation contains a null message.", nameof(messages));
        return Iterate();

        IEnumerable<(string, bool)> Iterate()
        {
            yield return (Start, false);
            foreach (var message in list)
            {
                yield return (TurnStartFor(RoleName(message.Role, tokenizer)), false);
                yield return (message.Text, true);
                yield return (TurnEnd, false);
            }
            if (addGenerationPrefix)
                yield return (GenerationPrefix, false);
        }
    }

    string TurnStartFor(string role) => TurnStart.Replace(RolePlaceholder, role, StringComparison.Ordinal);

    static string RoleName(ChatRole role, LlmTokenizer? tokenizer)
    {
        string name = role.Value;
        if (tokenizer?.SpecialTokens.Keys.FirstOrDefault(s => name.Contains(s, StringComparison.Ordinal)) is { } special)
            throw new ArgumentException($"The role name '{name}' contains the special token {special}; role names must not carry control tokens.");
        return name;
    }

    static int CountOf(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
            count++;
        return count;
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} chat template");
}
