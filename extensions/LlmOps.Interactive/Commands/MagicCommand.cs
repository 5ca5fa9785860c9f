namespace LlmOps.Interactive.Commands;

/// <summary>A magic command (<c>#!name --option value</c>): declared as data, bound to one handler.</summary>
/// <param name="Name">The name without <c>#!</c>.</param>
/// <param name="Description">One line for help and completion lists.</param>
/// <param name="Parameters">Its parameters, in the order help lists them.</param>
/// <param name="Handler">What it does: it shows its results on the invocation's display, in every host.</param>
/// <param name="Cli">The <c>llmops</c> verb path with the same parameters (<c>data clean</c>), or null for a notebook-only command.</param>
public sealed record MagicCommand(
    string Name,
    string Description,
    IReadOnlyList<MagicParameter> Parameters,
    Func<MagicInvocation, Task> Handler,
    string? Cli = null)
{
    /// <summary>The command as written in a cell: <c>#!name</c>.</summary>
    public string Directive => "#!" + Name;

    /// <summary>A usage line: <c>#!name [--option &lt;value&gt;] ...</c>.</summary>
    public string Usage => string.Join(' ', new[] { Directive }.Concat(Parameters.Select(p =>
    {
        string value = p.Kind == MagicParameterKind.Flag ? p.Option
            : p.Positional ? $"[{p.Option}] <{p.ValueName}>"
            : $"{p.Option} <{p.ValueName}>";
        return p.Required ? value : $"[{value}]";
    })));
}
