namespace LlmOps.Interactive.Commands;

/// <summary>The type a magic command parameter's value is converted to.</summary>
public enum MagicParameterKind
{
    /// <summary>Text, as written.</summary>
    Text,
    /// <summary>A whole number (invariant culture).</summary>
    WholeNumber,
    /// <summary>A real number (invariant culture).</summary>
    Number,
    /// <summary>Present or absent; takes no value.</summary>
    Flag,
}
