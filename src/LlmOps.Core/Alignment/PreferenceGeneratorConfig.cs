using System.Globalization;
using LlmOps.Core.FineTuning.Instructions;

namespace LlmOps.Core.Alignment;

/// <summary>What <see cref="PreferenceGenerator"/> makes.</summary>
/// <param name="Seed">Seeds every choice: the same seed, facts and settings give the same pairs, byte for byte.</param>
/// <param name="ExamplesPerTask">Prompts per task (distinct inputs for a skill, facts for a fact task).</param>
/// <param name="Tasks">Task names (see <see cref="InstructionGenerator.TaskNames"/>); null for every task the facts allow.</param>
/// <param name="HeldOutFraction">Share of inputs (a skill's input, a fact's subject) whose pairs are held out.</param>
/// <param name="RamblingShare">Share of pairs whose rejected answer is the right one buried in rambling and repetition.</param>
/// <param name="System">A system message for every prompt, or null for none.</param>
public sealed record PreferenceGeneratorConfig(
    int Seed = 42,
    int ExamplesPerTask = 200,
    IReadOnlyList<string>? Tasks = null,
    double HeldOutFraction = 0.2,
    double RamblingShare = 0.25,
    string? System = null)
{
    /// <summary>Checks every setting at once.</summary>
    /// <exception cref="ArgumentException">A setting cannot work; the message names each.</exception>
    public PreferenceGeneratorConfig Validate()
    {
        var problems = new List<string>();
        if (ExamplesPerTask < 1)
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(ExamplesPerTask)} must be at least 1 (got {ExamplesPerTask})"));
        if (HeldOutFraction is <= 0 or >= 1)
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(HeldOutFraction)} must be in (0, 1) (got {HeldOutFraction})"));
        if (RamblingShare is < 0 or > 1)
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(RamblingShare)} must be in [0, 1] (got {RamblingShare})"));
        if (Tasks?.Where(t => !InstructionGenerator.TaskNames.Contains(t, StringComparer.Ordinal)).ToList() is { Count: > 0 } unknown)
            problems.Add($"unknown tasks {string.Join(", ", unknown)} (known: {string.Join(", ", InstructionGenerator.TaskNames)})");
        return problems.Count == 0 ? this : throw new ArgumentException($"Invalid preference generator config: {string.Join("; ", problems)}.");
    }
}
