using System.Diagnostics;
using LlmOps.Core.Display;

namespace LlmOps.Core.Data.Cleaning;

/// <summary>
/// Runs cleaning steps over a stream of documents, in order, one document at a time (constant memory apart from what
/// dedup steps remember). Every removed document goes to the rejects file with its step, rule and reason, so nothing
/// is dropped silently; each step's counts and a few examples per rule go into the <see cref="CleaningReport"/>.
/// </summary>
public sealed class CleaningPipeline
{
    const int ExampleWindow = 600;
    readonly RejectsWriter rejects;
    readonly int examplesPerRule;

    /// <summary>A pipeline of <paramref name="steps"/> writing removed documents to <paramref name="rejects"/>.</summary>
    /// <param name="steps">The steps, in the order documents pass through them.</param>
    /// <param name="rejects">Where removed documents go.</param>
    /// <param name="examplesPerRule">How many examples each step keeps per rule (and of rewrites).</param>
    public CleaningPipeline(IReadOnlyList<ICleaningStep> steps, RejectsWriter rejects, int examplesPerRule = 3)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(rejects);
        var duplicate = steps.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Two steps are named '{duplicate.Key}'; step names label reports and rejects, so they must be unique.", nameof(steps));
        Steps = steps;
        this.rejects = rejects;
        this.examplesPerRule = examplesPerRule;
    }

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<ICleaningStep> Steps { get; }

    /// <summary>
    /// Cleans <paramref name="input"/>, handing each surviving document to <paramref name="keep"/> as soon as it has
    /// passed every step. Shows a live <see cref="CleaningProgress"/> through the display hook. Cancelling stops
    /// between documents; the report then says so and covers what was read.
    /// </summary>
    public CleaningReport Run(IEnumerable<Document> input, Action<Document> keep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(keep);
        var tallies = Steps.Select(s => new StepTally(s)).ToArray();
        var recorder = new StepRecorder();
        var clock = Stopwatch.StartNew();
        var display = DisplayHook.Show(new CleaningProgress(0, 0, 0, 0));
        long read = 0, kept = 0, inputChars = 0, outputChars = 0;
        double lastShown = 0;
        bool cancelled = false;

        foreach (var original in input)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                cancelled = true;
                break;
            }
            read++;
            inputChars += original.Text.Length;
            Document? document = original;
            foreach (var tally in tallies)
            {
                recorder.Reset();
                long started = Stopwatch.GetTimestamp();
                var result = tally.Step.Apply(document, recorder);
                tally.Ticks += Stopwatch.GetTimestamp() - started;
                tally.Record(document, result, recorder, examplesPerRule);
                if (result is null)
                {
                    rejects.Write(tally.Step.Name, $"{recorder.RemovedBy ?? "removed"}: {recorder.Detail}", id: document.Id, text: document.Text);
                    document = null;
                    break;
                }
                document = result;
            }
            if (document is not null)
            {
                kept++;
                outputChars += document.Text.Length;
                keep(document);
            }
            if (clock.Elapsed.TotalSeconds - lastShown >= 0.25)
            {
                lastShown = clock.Elapsed.TotalSeconds;
                display.Update(new CleaningProgress(read, kept, inputChars / 1e6, lastShown));
            }
        }
        display.Update(new CleaningProgress(read, kept, inputChars / 1e6, clock.Elapsed.TotalSeconds));
        return new CleaningReport([.. tallies.Select(t => t.ToReport())], read, kept, inputChars, outputChars, rejects.Path,
            clock.Elapsed.TotalSeconds, cancelled);
    }

    /// <summary>Cleans <paramref name="input"/> into a list (for corpora that fit in memory, as in the notebooks).</summary>
    public (List<Document> Kept, CleaningReport Report) Run(IEnumerable<Document> input, CancellationToken cancellationToken = default)
    {
        var kept = new List<Document>();
        var report = Run(input, kept.Add, cancellationToken);
        return (kept, report);
    }

    /// <summary>The window of <paramref name="before"/> and <paramref name="after"/> around their first difference.</summary>
    internal static (string Before, string? After) Window(string before, string? after)
    {
        int start = 0;
        if (after is not null)
        {
            int common = 0;
            int limit = Math.Min(before.Length, after.Length);
            while (common < limit && before[common] == after[common])
                common++;
            start = Math.Max(0, common - ExampleWindow / 4);
        }
        static string Cut(string text, int from)
        {
            from = Math.Min(from, text.Length);
            int length = Math.Min(ExampleWindow, text.Length - from);
            return string.Concat(from > 0 ? "…" : "", text.AsSpan(from, length), from + length < text.Length ? "…" : "");
        }
        return (Cut(before, start), after is null ? null : Cut(after, start));
    }

    sealed class StepTally(ICleaningStep step)
    {
        readonly Dictionary<string, long> removedBy = new(StringComparer.Ordinal);
        readonly Dictionary<string, long> counters = new(StringComparer.Ordinal);
        readonly Dictionary<string, int> examplesByRule = new(StringComparer.Ordinal);
        readonly List<StepExample> examples = [];
        long input, kept, changed;

        public ICleaningStep Step { get; } = step;

        public long Ticks { get; set; }

        public void Record(Document before, Document? after, StepRecorder recorder, int examplesPerRule)
        {
            input++;
            foreach (var (name, amount) in recorder.Counters)
                counters[name] = counters.GetValueOrDefault(name) + amount;
            string? rule = null;
            if (after is null)
            {
                rule = recorder.RemovedBy ?? "removed";
                removedBy[rule] = removedBy.GetValueOrDefault(rule) + 1;
            }
            else
            {
                kept++;
                if (!ReferenceEquals(before.Text, after.Text) && before.Text != after.Text)
                {
                    changed++;
                    rule = "changed";
                }
            }
            if (rule is null || examplesByRule.GetValueOrDefault(rule) >= examplesPerRule)
                return;
            examplesByRule[rule] = examplesByRule.GetValueOrDefault(rule) + 1;
            var (windowBefore, windowAfter) = Window(before.Text, after?.Text);
            examples.Add(new StepExample(rule, before.Id, after is null ? recorder.Detail ?? "" : "", windowBefore, windowAfter));
        }

        public StepReport ToReport() => new(Step.Name, Step.Config, input, kept, changed, new Dictionary<string, long>(removedBy),
            new Dictionary<string, long>(counters), [.. examples], (double)Ticks / Stopwatch.Frequency);
    }
}
