using System.Globalization;

namespace LlmOps.Core.FineTuning.Instructions;

/// <summary>What <see cref="InstructionGenerator"/> makes.</summary>
/// <param name="Seed">Seeds every choice: the same seed, facts and settings give the same records, byte for byte.</param>
/// <param name="ExamplesPerTask">Distinct inputs per skill task, facts per fact task (fewer when the data has fewer).</param>
/// <param name="Tasks">Task names (see <see cref="InstructionGenerator.TaskNames"/>); null for every task the facts allow.</param>
/// <param name="TestFraction">Share of skill inputs, and of facts, that get a held-out test example.</param>
/// <param name="ValidationFraction">Share of skill inputs, and of facts, that get a validation example.</param>
/// <param name="System">A system message for every example, or null for none.</param>
public sealed record InstructionGeneratorConfig(
    int Seed = 42,
    int ExamplesPerTask = 200,
    IReadOnlyList<string>? Tasks = null,
    double TestFraction = 0.2,
    double ValidationFraction = 0.1,
    string? System = null)
{
    /// <summary>Checks every setting at once.</summary>
    /// <exception cref="ArgumentException">A setting cannot work; the message names each.</exception>
    public InstructionGeneratorConfig Validate()
    {
        var problems = new List<string>();
        if (ExamplesPerTask < 1)
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(ExamplesPerTask)} must be at least 1 (got {ExamplesPerTask})"));
        if (TestFraction is < 0 or >= 1 || ValidationFraction is < 0 or >= 1 || TestFraction + ValidationFraction >= 1)
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"{nameof(TestFraction)} ({TestFraction}) and {nameof(ValidationFraction)} ({ValidationFraction}) must be in [0, 1) and leave some data to train on"));
        if (Tasks?.Where(t => !InstructionGenerator.TaskNames.Contains(t, StringComparer.Ordinal)).ToList() is { Count: > 0 } unknown)
            problems.Add($"unknown tasks {string.Join(", ", unknown)} (known: {string.Join(", ", InstructionGenerator.TaskNames)})");
        return problems.Count == 0 ? this : throw new ArgumentException($"Invalid instruction generator config: {string.Join("; ", problems)}.");
    }
}
