namespace LlmOps.Interactive.Commands;

/// <summary>One parameter of a magic command, declared once and read by every host.</summary>
/// <param name="Name">The option name without dashes (<c>matmul-size</c> is written <c>--matmul-size</c>).</param>
/// <param name="Description">One line for help.</param>
/// <param name="Kind">How the value is parsed.</param>
/// <param name="Required">Whether the command fails without it.</param>
/// <param name="Positional">Whether its value may be given without the option name (at most one per command).</param>
/// <param name="Default">The value when absent, as it would be written (null: absent means null).</param>
/// <param name="Choices">The values a text parameter accepts (compared ignoring case); null: any.</param>
public sealed record MagicParameter(
    string Name,
    string Description,
    MagicParameterKind Kind = MagicParameterKind.Text,
    bool Required = false,
    bool Positional = false,
    string? Default = null,
    IReadOnlyList<string>? Choices = null)
{
    /// <summary>The option as written in a cell: <c>--name</c>.</summary>
    public string Option => "--" + Name;

    /// <summary>How usage lines name the value: <c>int</c>, <c>number</c> or <c>text</c>.</summary>
    public string ValueName => Kind switch
    {
        MagicParameterKind.WholeNumber => "int",
        MagicParameterKind.Number => "number",
        _ => "text",
    };
}
