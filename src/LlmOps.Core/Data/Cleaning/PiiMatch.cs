namespace LlmOps.Core.Data.Cleaning;

/// <summary>One piece of personal data found in a text.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Start">Its offset in the text (UTF-16 code units).</param>
/// <param name="Length">Its length in the text.</param>
/// <param name="Value">The matched text, as written (with its spaces or dashes).</param>
public sealed record PiiMatch(PiiKind Kind, int Start, int Length, string Value);
