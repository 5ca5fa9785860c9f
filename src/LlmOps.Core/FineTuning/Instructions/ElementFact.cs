namespace LlmOps.Core.FineTuning.Instructions;

/// <summary>One chemical element from the <c>periodic-table</c> dataset.</summary>
/// <param name="Name">English name.</param>
/// <param name="Symbol">Chemical symbol.</param>
/// <param name="Number">Atomic number.</param>
/// <param name="Group">The dataset's group block (<c>noble gas</c>, <c>transition metal</c>, ...).</param>
public sealed record ElementFact(string Name, string Symbol, int Number, string Group);
