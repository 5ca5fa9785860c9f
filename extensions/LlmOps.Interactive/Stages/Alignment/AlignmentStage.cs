using System.Globalization;
using LlmOps.Core.Alignment;
using LlmOps.Core.Display;
using LlmOps.Core.FineTuning.Instructions;
using LlmOps.Core.Training;
using LlmOps.Interactive.Commands;
using LlmOps.Interactive.Stages.FineTuning;

namespace LlmOps.Interactive.Stages.Alignment;

/// <summary>The alignment stage: preference pairs generated from the instruction tasks, and training on pairs (DPO,
/// IPO, a reward model) through the shared trainer.</summary>
public static class AlignmentStage
{
    /// <summary>The methods <c>#!align</c> runs.</summary>
    public static IReadOnlyList<string> Methods { get; } = ["dpo", "ipo", "reward"];

    /// <summary>The stage's declaration.</summary>
    public static Stage Declaration { get; } = new("alignment", "Generate preference pairs and align a fine-tuned checkpoint on them",
    [
        new MagicCommand("prefer-generate", "Generate seeded preference pairs (chosen vs off-by, wrong-answer or rambling) from the instruction tasks, held out by input",
            [
                new("out", "the folder for train/heldout JSONL and the manifest", Positional: true, Required: true),
                .. FineTuningStage.GeneratorParameters("prompts per task"),
                new("shape", "trl's record shape", Default: "chat", Choices: ["chat", "text"]),
            ],
            async invocation =>
            {
                var (facts, tasks) = await FineTuningStage.TasksAndFacts(invocation).ConfigureAwait(false);
                var set = PreferenceGenerator.Generate(facts, new PreferenceGeneratorConfig(
                    Seed: invocation.Get<int>("seed"), ExamplesPerTask: invocation.Get<int>("examples-per-task"), Tasks: tasks));
                var shape = Enum.Parse<PreferenceShape>(invocation.Get<string>("shape"), ignoreCase: true);
                await set.SaveAsync(invocation.Get<string>("out"), shape, invocation.CancellationToken).ConfigureAwait(false);
                invocation.Display.Show(set);
            },
            Cli: "prefer generate"),
        new MagicCommand("align", "Align a fine-tuned checkpoint on preference pairs (DPO, IPO) or train a reward model on them, from a config file; run it again to resume",
            [
                new("method", "dpo or ipo (a DPO config), or reward (a reward model config)", Required: true, Choices: Methods),
                new("config", "the method's config (JSON; paths relative to the file)", Required: true),
                new("max-steps", "override the config's step count", MagicParameterKind.WholeNumber),
                new("no-resume", "refuse to continue from checkpoints in the out folder", MagicParameterKind.Flag),
            ],
            Align,
            Cli: "align"),
    ],
    [
        Renderer.For<PreferenceSet>(s => s.ToString()),
        Renderer.For<DpoResult>(r => r.ToString() + "\n" + TrainingText.Summary(r.Training).ToText(), tables: r => [TrainingText.Summary(r.Training)]),
        Renderer.For<RewardResult>(r => r.ToString() + "\n" + TrainingText.Summary(r.Training).ToText(), tables: r => [TrainingText.Summary(r.Training)]),
    ]);

    static async Task Align(MagicInvocation invocation)
    {
        string method = invocation.Get<string>("method").ToLowerInvariant();
        string path = invocation.Get<string>("config");
        int? steps = invocation.Get<int?>("max-steps");
        bool resume = !invocation.Get<bool>("no-resume");
        PretrainResult training;
        if (method == "reward")
        {
            var config = RewardConfig.Load(path);
            var result = await RewardModelTrainer.RunAsync(config with { MaxSteps = steps ?? config.MaxSteps, Resume = resume && config.Resume },
                cancellationToken: invocation.CancellationToken).ConfigureAwait(false);
            invocation.Display.Show(result);
            training = result.Training;
        }
        else
        {
            var config = DpoConfig.Load(path);
            var result = await DirectPreferenceOptimizer.RunAsync(
                config with { Loss = method == "ipo" ? "ipo" : "sigmoid", MaxSteps = steps ?? config.MaxSteps, Resume = resume && config.Resume },
                cancellationToken: invocation.CancellationToken).ConfigureAwait(false);
            invocation.Display.Show(result);
            training = result.Training;
        }
        invocation.ExitCode = FineTuningStage.ExitCode(training.Status);
    }
}
