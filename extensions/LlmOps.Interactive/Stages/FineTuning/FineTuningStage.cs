using System.Globalization;
using LlmOps.Core.Display;
using LlmOps.Core.FineTuning;
using LlmOps.Core.FineTuning.Instructions;
using LlmOps.Core.Peft;
using LlmOps.Core.Training;
using LlmOps.Interactive.Commands;

namespace LlmOps.Interactive.Stages.FineTuning;

/// <summary>The fine-tuning stage: instruction data from the catalog's facts and from skills, and supervised fine-tuning
/// of a checkpoint on it through the shared trainer, full or parameter-efficient (<c>#!peft</c>).</summary>
public static class FineTuningStage
{
    /// <summary>The stage's declaration.</summary>
    public static Stage Declaration { get; } = new("fine-tuning", "Generate instruction data and fine-tune a checkpoint on it",
    [
        new MagicCommand("instruct-generate", "Generate seeded instruction data (facts from the catalog datasets, skills) with splits by input and by phrasing",
            [
                new("out", "the folder for train/validation/test JSONL and the manifest", Positional: true, Required: true),
                .. GeneratorParameters("distinct inputs per skill, facts per fact task"),
                new("shape", "the records' shape", Default: "chat", Choices: ["chat", "alpaca"]),
            ],
            async invocation =>
            {
                var (facts, tasks) = await TasksAndFacts(invocation).ConfigureAwait(false);
                var set = InstructionGenerator.Generate(facts, new InstructionGeneratorConfig(
                    Seed: invocation.Get<int>("seed"), ExamplesPerTask: invocation.Get<int>("examples-per-task"), Tasks: tasks));
                var shape = Enum.Parse<InstructionShape>(invocation.Get<string>("shape"), ignoreCase: true);
                await set.SaveAsync(invocation.Get<string>("out"), shape, invocation.CancellationToken).ConfigureAwait(false);
                invocation.Display.Show(set);
            },
            Cli: "instruct generate"),
        new MagicCommand("sft", "Fine-tune a checkpoint on instruction JSONL from a config file, with a live curve; run it again to resume",
            [
                new("config", "a fine-tuning config (JSON; paths relative to the file)", Positional: true, Required: true),
                new("method", "what trains: every weight (full), or a parameter-efficient method (default: the config's)", Choices: SftConfig.Methods),
                .. RunParameters(),
            ],
            invocation => FineTune(invocation, null),
            Cli: "finetune"),
        new MagicCommand("peft", "Fine-tune a checkpoint parameter-efficiently (the base frozen, only the method's parameters train), with a live curve; run it again to resume",
            [
                new("config", "a fine-tuning config (JSON; paths relative to the file; knobs under \"Peft\")", Positional: true, Required: true),
                new("method", "the parameter-efficient method (default: the config's, else lora)", Choices: PeftFactory.Names),
                .. RunParameters(),
            ],
            invocation => FineTune(invocation, PeftFactory.Name(PeftMethod.Lora))),
    ],
    [
        Renderer.For<InstructionSet>(s => s.ToString() + "\n" + Counts(s).ToText(), tables: s => [Counts(s)]),
        Renderer.For<SftResult>(r => r.ToString() + "\n" + TrainingText.Summary(r.Training).ToText(), FineTuningHtml.Result, r => [Summary(r), TrainingText.Summary(r.Training)]),
        Renderer.For<ExactMatchReport>(r => r.ToString() + "\n" + ByTask(r).ToText(), FineTuningHtml.ExactMatch, r => [ByTask(r)]),
        Renderer.For<PeftComparison>(c => Comparison(c).ToText(), FineTuningHtml.Comparison, c => [Comparison(c)]),
    ]);

    static MagicParameter[] RunParameters() =>
    [
        new("max-steps", "override the config's step count", MagicParameterKind.WholeNumber),
        new("no-resume", "refuse to continue from checkpoints in the out folder", MagicParameterKind.Flag),
    ];

    /// <summary>Runs the config with the method the command line gives, else the config's (for <c>#!peft</c>, a
    /// parameter-efficient one: <paramref name="peftDefault"/> when the config says full).</summary>
    static async Task FineTune(MagicInvocation invocation, string? peftDefault)
    {
        var config = SftConfig.Load(invocation.Get<string>("config"));
        string method = invocation.Get<string?>("method")?.ToLowerInvariant()
            ?? (peftDefault is not null && config.PeftMethod is null ? peftDefault : config.Method);
        config = config with { Method = method };
        if (invocation.Get<int?>("max-steps") is { } steps)
            config = config with { MaxSteps = steps };
        if (invocation.Get<bool>("no-resume"))
            config = config with { Resume = false };
        var result = await SupervisedFineTuner.RunAsync(config.Validate(), cancellationToken: invocation.CancellationToken).ConfigureAwait(false);
        invocation.Display.Show(result);
        invocation.ExitCode = ExitCode(result.Training.Status);
    }

    /// <summary>A training command's exit code: 0 when it finished, cancelled when stopped, bad input when it diverged.</summary>
    internal static int ExitCode(PretrainStatus status) => status switch
    {
        PretrainStatus.Completed or PretrainStatus.EarlyStopped => 0,
        PretrainStatus.Cancelled => CommandExitCodes.Cancelled,
        _ => CommandExitCodes.BadInput,
    };

    /// <summary>The parameters of a generator over the instruction tasks (seed, size, tasks, skills only).</summary>
    internal static MagicParameter[] GeneratorParameters(string examplesPerTask) =>
    [
        new("seed", "seeds every choice", MagicParameterKind.WholeNumber, Default: "42"),
        new("examples-per-task", examplesPerTask, MagicParameterKind.WholeNumber, Default: "200"),
        new("tasks", "comma-separated task names (default: all)"),
        new("skills-only", "skip the fact datasets (no download): skills only", MagicParameterKind.Flag),
    ];

    /// <summary>The facts (fetched unless skills only) and the task names (null for all) a generator command asks for.</summary>
    internal static async Task<(InstructionFacts Facts, IReadOnlyList<string>? Tasks)> TasksAndFacts(MagicInvocation invocation)
    {
        IReadOnlyList<string>? tasks = invocation.Get<string?>("tasks") is { Length: > 0 } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : invocation.Get<bool>("skills-only") ? InstructionGenerator.SkillNames : null;
        var facts = invocation.Get<bool>("skills-only") ? InstructionFacts.None
            : await InstructionFacts.FetchAsync(cancellationToken: invocation.CancellationToken).ConfigureAwait(false);
        return (facts, tasks);
    }

    static TextTable Counts(InstructionSet set) => new("Instruction examples per task",
        ["task", "kind", "train", "validation", "test"],
        [.. set.Counts().Select(c => new[] { c.Task, c.Kind.ToString().ToLowerInvariant(), Number(c.Train), Number(c.Validation), Number(c.Test) })]);

    internal static TextTable Summary(SftResult result) => new("Fine-tuning",
        ["method", "template", "added tokens", "examples (train/val)", "skipped (too long)", "trainable parameters", "AdamW state", "steps/s", "checkpoint"],
        [[result.Method, result.Template, result.AddedTokens.Count == 0 ? "none" : string.Join(" ", result.AddedTokens),
          $"{Number(result.TrainExamples)}/{Number(result.ValidationExamples)}", Number(result.SkippedTooLong),
          string.Create(CultureInfo.InvariantCulture, $"{result.TrainableParameters:N0} of {result.TotalParameters:N0} ({result.TrainableShare:P2})"),
          Bytes(result.OptimizerStateBytes), result.StepsPerSecond.ToString("F1", CultureInfo.InvariantCulture),
          result.Checkpoint ?? "none"]]);

    internal static TextTable Comparison(PeftComparison comparison) => new("Fine-tuning methods compared",
        ["method", "trainable", "share", "AdamW state", "steps/s", "seconds", "held-out exact match"],
        [.. comparison.Rows.Select(r => new[]
        {
            r.Method, r.TrainableParameters.ToString("N0", CultureInfo.InvariantCulture), r.TrainableShare.ToString("P2", CultureInfo.InvariantCulture),
            Bytes(r.OptimizerStateBytes), r.StepsPerSecond.ToString("F1", CultureInfo.InvariantCulture), r.Seconds.ToString("F0", CultureInfo.InvariantCulture),
            $"{r.ExactMatch.ToString("P1", CultureInfo.InvariantCulture)} ({Number(r.Report.Correct)}/{Number(r.Report.Rows.Count)})",
        })]);

    internal static TextTable Answers(ExactMatchReport report, int count) => new($"First {Math.Min(count, report.Rows.Count)} answers",
        ["prompt", "expected", "answer", "right"],
        [.. report.Rows.Take(count).Select(r => new[] { r.Prompt.Replace('\n', ' '), r.Expected, r.Answer, r.Correct ? "yes" : "no" })]);

    static string Bytes(long bytes) => bytes >= 1 << 20
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1 << 20):F1} MiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KiB");

    internal static TextTable ByTask(ExactMatchReport report) => new("Exact match by task",
        ["task", "exact match", "examples"],
        [.. report.ByTask().Select(t => new[] { t.Task, t.Accuracy.ToString("P1", CultureInfo.InvariantCulture), Number(t.Count) })]);

    static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
