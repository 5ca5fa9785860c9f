using LlmOps.Core.Data;
using LlmOps.Core.Data.Cleaning;
using LlmOps.Core.Data.Mixing;
using LlmOps.Core.Data.Stats;
using LlmOps.Core.Display;
using LlmOps.Core.IO;
using LlmOps.Interactive.Commands;
using LlmOps.Interactive.Formatting;

namespace LlmOps.Interactive.Stages.Data;

/// <summary>The data stage: measure a corpus, clean it into kept documents, rejects, a split and a manifest.</summary>
public static class DataStage
{
    static readonly IReadOnlyList<string> Formats = [.. Enum.GetNames<DocumentFormat>().Select(n => n.ToLowerInvariant())];

    static MagicParameter Input() => new("input", "a catalog dataset name (llmops datasets list) or a .jsonl/.csv/.parquet file or a folder", Positional: true, Required: true);

    static MagicParameter TextField() => new("text-field", "the field or column holding the text", Default: "text");

    static MagicParameter Format() => new("format", "how to read the input", Default: "auto", Choices: Formats);

    static MagicParameter Limit() => new("limit", "read at most this many documents", MagicParameterKind.WholeNumber);

    static ReadOptions Read(MagicInvocation invocation, BadRecordPolicy onBadRecord = BadRecordPolicy.Fail) => new(
        TextField: invocation.Get<string>("text-field"),
        Format: Enum.Parse<DocumentFormat>(invocation.Get<string>("format"), ignoreCase: true),
        OnBadRecord: onBadRecord);

    /// <summary>The stage's declaration.</summary>
    public static Stage Declaration { get; } = new("data", "Measure and clean corpora",
    [
        new MagicCommand("data-stats", "Measure a corpus: sizes, lengths, scripts, HTML, boilerplate, duplicates, PII, n-grams, sources",
            [Input(), TextField(), Format(), Limit(), new("json", "also write the stats as JSON to this file")],
            async invocation =>
            {
                var corpus = await CorpusInput.OpenAsync(invocation.Get<string>("input"), Read(invocation), cancellationToken: invocation.CancellationToken).ConfigureAwait(false);
                var documents = invocation.Get<int?>("limit") is { } limit ? corpus.Documents.Take(limit) : corpus.Documents;
                var stats = DataStatsCollector.Measure(corpus.Name, documents, DataStatsOptions.Standard(), invocation.CancellationToken);
                invocation.Display.Show(stats);
                if (invocation.Get<string?>("json") is { } path)
                {
                    await ResultJson.WriteFileAsync(path, stats, invocation.CancellationToken).ConfigureAwait(false);
                    invocation.Display.Show($"wrote {path}");
                }
            },
            Cli: "data stats"),
        new MagicCommand("data-clean", "Clean a corpus with the default recipe (or --recipe FILE); write kept documents, rejects, report and manifest",
            [
                Input(),
                new("out", "output folder", Required: true),
                new("recipe", "a recipe JSON file (llmops data recipe writes the default one to edit)"),
                new("split", "train,validation,test shares, e.g. 0.9,0.05,0.05: write train/validation/test.jsonl split by content hash"),
                new("reject-bad-records", "send unreadable records to rejects.jsonl and go on (default: stop with an error naming file, line and field)", MagicParameterKind.Flag),
                TextField(), Format(), Limit(),
            ],
            async invocation =>
            {
                var job = new CleaningJob(invocation.Get<string>("input"), invocation.Get<string>("out"),
                    invocation.Get<string?>("recipe") is { } recipe ? CleaningRecipe.Load(recipe) : null,
                    Read(invocation, invocation.Get<bool>("reject-bad-records") ? BadRecordPolicy.Reject : BadRecordPolicy.Fail),
                    invocation.Get<string?>("split") is { } split ? SplitRatios.Parse(split) : null,
                    invocation.Get<int?>("limit"));
                var result = await DataCleaner.RunAsync(job, invocation.CancellationToken).ConfigureAwait(false);
                invocation.Display.Show(result.Report);
                if (result.Split is { } parts)
                    invocation.Display.Show(parts);
                invocation.Display.Show(string.Join("\n", result.Files.Select(f => $"{f.Key,-10} {f.Value}").Append($"manifest id {result.Manifest.Id}")));
            },
            Cli: "data clean"),
    ],
    [
        Renderer.For<DataStats>(DataText.Text, DataHtml.Stats, DataText.Tables),
        Renderer.For<CleaningReport>(DataText.Text, DataHtml.Cleaning, r => [DataText.Steps(r)]),
        Renderer.For<CleaningProgress>(DataText.Text,
            progress: p => new ConsoleProgress("cleaning", p.Documents, 0, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{p.Documents:N0} documents, {p.Kept:N0} kept"))),
        Renderer.For<DataMix>(m => DataText.Mix(m).ToText(), (m, _) => HtmlCard.Card(HtmlCard.Table(DataText.Mix(m))), m => [DataText.Mix(m)]),
        Renderer.For<DataSplit>(s => DataText.Split(s).ToText(), (s, _) => HtmlCard.Card(HtmlCard.Table(DataText.Split(s))), s => [DataText.Split(s)]),
    ]);
}
