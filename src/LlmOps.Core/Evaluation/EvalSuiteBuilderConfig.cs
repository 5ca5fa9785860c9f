namespace LlmOps.Core.Evaluation;

/// <summary>What <see cref="EvalSuiteBuilder"/> draws. The defaults make the shipped suites under <c>evals/</c>; any
/// change gives other files (and another manifest id).</summary>
/// <param name="Seed">Seeds every draw of the fact and SOTU suites (which items, distractors, the gold's position).</param>
/// <param name="FactsPerTask">Multiple-choice questions per fact task (fewer when the dataset has fewer facts).</param>
/// <param name="Choices">Choices per multiple-choice question: the answer and distractors from the same field.</param>
/// <param name="InstructionSeed">The instruction generator's seed: 04-sft's and 05-peft's (11), so their test split is
/// held out from those notebooks' training whatever their example counts.</param>
/// <param name="InstructionExamplesPerTask">Inputs (skills) or facts drawn per instruction task before the split.</param>
/// <param name="InstructionTestFraction">04-sft's test share (0.05): an input is test only when its hash falls below it.</param>
/// <param name="InstructionValidationFraction">04-sft's validation share (0.03).</param>
/// <param name="ClozeItems">Cloze questions drawn from the held-out SOTU sentences.</param>
/// <param name="PassagesPerAddress">Perplexity passages drawn from each held-out address.</param>
/// <param name="PassageWords">A passage is whole sentences, at least this many words.</param>
public sealed record EvalSuiteBuilderConfig(
    int Seed = 1234,
    int FactsPerTask = 50,
    int Choices = 4,
    int InstructionSeed = 11,
    int InstructionExamplesPerTask = 600,
    double InstructionTestFraction = 0.05,
    double InstructionValidationFraction = 0.03,
    int ClozeItems = 100,
    int PassagesPerAddress = 4,
    int PassageWords = 100)
{
    /// <summary>Checks every setting at once.</summary>
    /// <exception cref="ArgumentException">A setting cannot work; the message names each.</exception>
    public EvalSuiteBuilderConfig Validate()
    {
        var problems = new List<string>();
        if (FactsPerTask < 1)
            problems.Add($"{nameof(FactsPerTask)} must be at least 1 (got {FactsPerTask})");
        if (Choices < 2)
            problems.Add($"{nameof(Choices)} must be at least 2 (got {Choices})");
        if (ClozeItems < 1)
            problems.Add($"{nameof(ClozeItems)} must be at least 1 (got {ClozeItems})");
        if (PassagesPerAddress < 1)
            problems.Add($"{nameof(PassagesPerAddress)} must be at least 1 (got {PassagesPerAddress})");
        if (PassageWords < 1)
            problems.Add($"{nameof(PassageWords)} must be at least 1 (got {PassageWords})");
        return problems.Count == 0 ? this : throw new ArgumentException($"Invalid suite builder config: {string.Join("; ", problems)}.");
    }
}
