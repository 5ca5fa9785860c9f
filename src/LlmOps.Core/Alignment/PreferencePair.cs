using LlmOps.Core.FineTuning.Instructions;

namespace LlmOps.Core.Alignment;

/// <summary>
/// One preference record in trl's format: a prompt, the answer preferred and the answer not. The prompt is the user's
/// turn (with an optional system message); <see cref="PreferenceJsonl"/> writes it as plain text or as chat messages.
/// </summary>
/// <param name="Prompt">The user's turn.</param>
/// <param name="Chosen">The preferred answer.</param>
/// <param name="Rejected">The dispreferred answer.</param>
/// <param name="System">A system message before the user's turn, or null.</param>
/// <param name="Task">The generator's task (<c>compare</c>, <c>country-capital</c>); null for user data.</param>
/// <param name="Kind">How the rejected answer was made (see <see cref="PreferenceGenerator"/>); null for user data.</param>
public sealed record PreferencePair(string Prompt, string Chosen, string Rejected, string? System = null, string? Task = null, string? Kind = null)
{
    /// <summary>The chosen conversation as an instruction example (what SFT and the chat template encode).</summary>
    public InstructionExample ChosenExample => new(Prompt, "", Chosen, Task, System);

    /// <summary>The rejected conversation as an instruction example.</summary>
    public InstructionExample RejectedExample => new(Prompt, "", Rejected, Task, System);
}
