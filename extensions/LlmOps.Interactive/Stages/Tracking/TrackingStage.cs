using LlmOps.Core.Display;
using LlmOps.Core.Tracking;
using LlmOps.Interactive.Commands;
using LlmOps.Interactive.Formatting;

namespace LlmOps.Interactive.Stages.Tracking;

/// <summary>The tracking stage: the run store that training and evaluation write, listed, shown and compared.</summary>
public static class TrackingStage
{
    static MagicParameter Store() => new("store", "the run store (default: $LLMOPS_RUNS, else artifacts/runs.db)");

    /// <summary>Opens the store a command names; both hosts refuse a store that does not exist rather than create an
    /// empty one (a typo in --store would otherwise list nothing, silently).</summary>
    static RunStore Open(MagicInvocation invocation)
    {
        string path = invocation.Get<string?>("store") ?? RunStore.DefaultPath();
        return File.Exists(path) ? RunStore.Open(path) : throw new FileNotFoundException($"No run store at {path}: nothing has been tracked there yet (training writes it).", path);
    }

    /// <summary>The stage's declaration.</summary>
    public static Stage Declaration { get; } = new("tracking", "Tracked runs: configs, metrics over time, artifacts",
    [
        new MagicCommand("runs", "List tracked runs, newest first: name, kind, status, latest metrics",
            [Store()],
            invocation =>
            {
                invocation.Display.Show(Open(invocation).List());
                return Task.CompletedTask;
            },
            Cli: "runs list"),
        new MagicCommand("runs-show", "Show one run: config, latest metrics, artifacts, curves",
            [new("id", "a run id (a unique prefix is enough)", Positional: true, Required: true), Store()],
            invocation =>
            {
                invocation.Display.Show(Open(invocation).Get(invocation.Get<string>("id")));
                return Task.CompletedTask;
            },
            Cli: "runs show"),
        new MagicCommand("runs-compare", "Compare runs: final metrics, overlaid metric curves and the config keys that differ",
            [
                new("ids", "comma-separated run ids (unique prefixes are enough)", Positional: true, Required: true),
                new("metric", "comma-separated metrics to compare (default: all)"),
                Store(),
            ],
            invocation =>
            {
                var metrics = invocation.GetList("metric");
                invocation.Display.Show(Open(invocation).Compare(invocation.GetList("ids"), metrics.Length > 0 ? metrics : null));
                return Task.CompletedTask;
            },
            Cli: "runs compare"),
    ],
    [
        Renderer.For<RunList>(l => TrackingText.Runs(l).ToText(), (l, _) => HtmlCard.Card(HtmlCard.Table(TrackingText.Runs(l))), l => [TrackingText.Runs(l)]),
        Renderer.For<RunDetails>(r => TrackingText.Run(r).ToText(), TrackingHtml.Run, r => [TrackingText.Run(r)]),
        Renderer.For<RunComparison>(c => TrackingText.Comparison(c).ToText(), TrackingHtml.Comparison, c => [TrackingText.Comparison(c)]),
    ]);
}
