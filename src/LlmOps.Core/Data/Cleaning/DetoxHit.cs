namespace LlmOps.Core.Data.Cleaning;

/// <summary>One hit of a listed term in a text.</summary>
/// <param name="Start">Offset in the text.</param>
/// <param name="Length">Length in the text (a phrase's own spacing included).</param>
/// <param name="Term">The listed term it matched, lower case with single spaces: the counter's name after <c>detox:</c>.</param>
public sealed record DetoxHit(int Start, int Length, string Term);
