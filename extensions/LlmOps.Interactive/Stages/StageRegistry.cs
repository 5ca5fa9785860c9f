using LlmOps.Interactive.Commands;
using LlmOps.Interactive.Stages.Alignment;
using LlmOps.Interactive.Stages.Data;
using LlmOps.Interactive.Stages.Evaluation;
using LlmOps.Interactive.Stages.FineTuning;
using LlmOps.Interactive.Stages.Platform;
using LlmOps.Interactive.Stages.Pretraining;
using LlmOps.Interactive.Stages.Tokenizers;
using LlmOps.Interactive.Stages.Tracking;

namespace LlmOps.Interactive.Stages;

/// <summary>
/// The stages every host knows: the one list the kernel extension (magic commands, formatters), the headless runner
/// (magic commands, cell outputs) and the <c>llmops</c> CLI (verbs, console output) are built from. Immutable; a host or
/// test with extra stages builds its own with <see cref="With"/>.
/// </summary>
public sealed class StageRegistry
{
    readonly Dictionary<Type, Renderer> byType;

    /// <summary>A registry of <paramref name="stages"/>; command names and rendered types must be unique.</summary>
    public StageRegistry(IEnumerable<Stage> stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        Stages = [.. stages];
        byType = [];
        foreach (var renderer in Stages.SelectMany(s => s.Renderers))
        {
            if (!byType.TryAdd(renderer.Type, renderer))
                throw new ArgumentException($"{renderer.Type.FullName} has two renderers.", nameof(stages));
        }
        Commands = CommandTable.WithHelp(Stages.SelectMany(s => s.Commands));
    }

    /// <summary>The project's stages. One line per stage.</summary>
    public static StageRegistry Default { get; } = new(
    [
        PlatformStage.Declaration,
        DataStage.Declaration,
        TokenizerStage.Declaration,
        PretrainStage.Declaration,
        FineTuningStage.Declaration,
        AlignmentStage.Declaration,
        TrackingStage.Declaration,
        EvaluationStage.Declaration,
    ]);

    /// <summary>The stages, in help order.</summary>
    public IReadOnlyList<Stage> Stages { get; }

    /// <summary>Every stage's commands, plus <c>#!llmops-help</c>.</summary>
    public CommandTable Commands { get; }

    /// <summary>The types the stages render.</summary>
    public IEnumerable<Type> RenderedTypes => byType.Keys;

    /// <summary>This registry with <paramref name="more"/> stages added after its own.</summary>
    public StageRegistry With(params Stage[] more) => new(Stages.Concat(more));

    /// <summary>The renderer for <paramref name="type"/>: its own, else the nearest base type's or an interface's; null when none.</summary>
    public Renderer? Find(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (byType.TryGetValue(t, out var renderer))
                return renderer;
        }
        return type.GetInterfaces().Select(i => byType.GetValueOrDefault(i)).FirstOrDefault(r => r is not null);
    }

    /// <summary>The text form of <paramref name="value"/>: its renderer's, else <see cref="object.ToString"/>.</summary>
    public string Text(object? value) => value switch
    {
        null => "null",
        string text => text,
        _ => Find(value.GetType())?.Text(value) ?? value.ToString() ?? "",
    };
}
