namespace LlmOps.Core.FineTuning.Instructions;

/// <summary>One U.S. state and its capital (the <c>us-states-names</c> and <c>us-states-capitals</c> datasets).</summary>
/// <param name="Name">The state.</param>
/// <param name="Capital">Its capital.</param>
public sealed record StateFact(string Name, string Capital);
