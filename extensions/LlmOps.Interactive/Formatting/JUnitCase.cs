namespace LlmOps.Interactive.Formatting;

/// <summary>One JUnit test case.</summary>
/// <param name="Name">Its name.</param>
/// <param name="ClassName">The group CI systems list it under.</param>
/// <param name="Seconds">How long it took (null: no time attribute).</param>
/// <param name="Failure">Why it failed (the message), or null.</param>
/// <param name="Skipped">Why it was skipped, or null.</param>
public sealed record JUnitCase(string Name, string ClassName, double? Seconds = null, string? Failure = null, string? Skipped = null);
