namespace LlmOps.Core.FineTuning.Instructions;

/// <summary>One country from the <c>countries</c> dataset (countries-list).</summary>
/// <param name="Name">English name.</param>
/// <param name="Capital">Capital city.</param>
/// <param name="Currency">The first listed currency's English name; empty when none is listed.</param>
/// <param name="Continent">Continent name.</param>
/// <param name="Languages">Official languages' English names, in the dataset's order; empty when none is listed.</param>
/// <param name="CallingCode">International calling code with a plus (<c>+33</c>); empty when none is listed.</param>
public sealed record CountryFact(string Name, string Capital, string Currency, string Continent, IReadOnlyList<string> Languages, string CallingCode);
