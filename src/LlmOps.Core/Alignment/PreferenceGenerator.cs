using System.Globalization;
using LlmOps.Core.FineTuning.Instructions;
using LlmOps.Core.Platform;

namespace LlmOps.Core.Alignment;

/// <summary>
/// Builds preference pairs from <see cref="InstructionGenerator"/>'s tasks: the correct answer is chosen, and the
/// rejected answer is one of three kinds, each a failure a tuned model should learn to avoid.
/// </summary>
/// <remarks>
/// <para>Kinds: <see cref="OffBy"/>, a numeric skill's answer off by 1 to 3; <see cref="WrongAnswer"/>, another item's
/// answer from the same task (another country's capital, another word reversed); <see cref="Rambling"/>, the right answer
/// buried in filler and repetition (a <see cref="PreferenceGeneratorConfig.RamblingShare"/> of the pairs).</para>
/// <para>Held-out pairs are split by input (a skill's input, a fact's subject), never by pair, so a held-out prompt's
/// subject never appears in training. Every choice comes from <see cref="SeedScope"/> streams named by task: the same
/// seed gives the same pairs, and adding a task leaves the others' pairs unchanged.</para>
/// </remarks>
public static class PreferenceGenerator
{
    /// <summary>The kind of a numeric answer off by a little.</summary>
    public const string OffBy = "off-by";

    /// <summary>The kind of another item's answer from the same task.</summary>
    public const string WrongAnswer = "wrong-answer";

    /// <summary>The kind of the right answer with rambling and repetition.</summary>
    public const string Rambling = "rambling";

    /// <summary>Generates the set <paramref name="config"/> describes.</summary>
    /// <param name="facts">The facts (<see cref="InstructionFacts.None"/> for skills only).</param>
    /// <param name="config">What to make.</param>
    /// <exception cref="ArgumentException">The config is invalid, or names a fact task whose dataset is empty.</exception>
    public static PreferenceSet Generate(InstructionFacts facts, PreferenceGeneratorConfig? config = null)
    {
        ArgumentNullException.ThrowIfNull(facts);
        config = (config ?? new PreferenceGeneratorConfig()).Validate();
        // Every item once, in the training split: the held-out split is drawn here, by input.
        var instructions = InstructionGenerator.Generate(facts, new InstructionGeneratorConfig(config.Seed, config.ExamplesPerTask, config.Tasks,
            TestFraction: 0, ValidationFraction: 0, config.System));
        var seeds = new SeedScope(config.Seed);
        List<PreferencePair> train = [], heldOut = [];
        foreach (var task in instructions.Entries.GroupBy(e => e.Example.Task!))
        {
            var random = seeds.Random("prefer:" + task.Key);
            string[] answers = [.. task.Select(e => e.Example.Output).Distinct(StringComparer.Ordinal)];
            foreach (var entry in task)
            {
                var (rejected, kind) = Reject(entry, answers, config.RamblingShare, random);
                var example = entry.Example;
                var pair = new PreferencePair(example.UserText, example.Output, rejected, example.System, example.Task, kind);
                bool held = SeedScope.Derive(config.Seed, "prefer-heldout\n" + task.Key + "\n" + entry.Key) / 2147483648.0 < config.HeldOutFraction;
                (held ? heldOut : train).Add(pair);
            }
        }
        return new PreferenceSet(train, heldOut, config, instructions.Sources);
    }

    static (string Rejected, string Kind) Reject(InstructionEntry entry, string[] answers, double ramblingShare, Random random)
    {
        string answer = entry.Example.Output;
        // Drawn for every item, whichever kind it becomes, so one item's kind does not shift the next one's draws.
        double u = random.NextDouble();
        int delta = random.Next(1, 4), sign = random.Next(2), pick = random.Next(answers.Length), phrasing = random.Next(Ramblings.Length);
        if (u < ramblingShare || answers.Length < 2 && !IsNumber(entry, answer, out _))
            return (string.Format(CultureInfo.InvariantCulture, Ramblings[phrasing], answer), Rambling);
        if (IsNumber(entry, answer, out long value))
        {
            long wrong = sign == 0 || value - delta < 0 ? value + delta : value - delta;
            return (wrong.ToString(CultureInfo.InvariantCulture), OffBy);
        }
        string other = answers[pick] == answer ? answers[(pick + 1) % answers.Length] : answers[pick];
        return (other, WrongAnswer);
    }

    static bool IsNumber(InstructionEntry entry, string answer, out long value) =>
        long.TryParse(answer, NumberStyles.None, CultureInfo.InvariantCulture, out value) && entry.Kind == InstructionTaskKind.Skill;

    static readonly string[] Ramblings =
    [
        "{0} {0} {0} {0}",
        "Well, let me think about this. It could be {0}. Yes, I think it is {0}, {0}.",
        "Hmm, that is a good question, a very good question. The answer, as far as I can tell, is {0}.",
    ];
}
