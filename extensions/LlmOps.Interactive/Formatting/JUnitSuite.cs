namespace LlmOps.Interactive.Formatting;

/// <summary>One JUnit test suite.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Cases">Its test cases.</param>
/// <param name="Seconds">How long it took (null: no time attribute).</param>
public sealed record JUnitSuite(string Name, IReadOnlyList<JUnitCase> Cases, double? Seconds = null);
