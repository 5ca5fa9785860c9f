using System.CommandLine;
using LlmOps.Cli.Output;
using LlmOps.Core.Data;
using LlmOps.Core.Data.Cleaning;
using LlmOps.Core.Data.Mixing;
using LlmOps.Core.Data.Stats;
using LlmOps.Core.Datasets;
using LlmOps.Core.Display;
using Spectre.Console;

namespace LlmOps.Cli.Commands;

/// <summary><c>llmops data stats | clean | recipe</c>: measure a corpus, clean it into files with a manifest.</summary>
static class DataCommand
{
    public static Command Create()
    {
        var command = new Command("data", "Measure and clean corpora: a catalog dataset (e.g. spam-assassin) or a file or folder");
        command.Add(CreateStats());
        command.Add(CreateClean());
        command.Add(CreateRecipe());
        return command;
    }

    static Argument<string> InputArgument() => new("input") { Description = "a catalog dataset name (llmops datasets list) or a .jsonl/.csv/.parquet file or a folder" };

    static Option<string> TextField() => new("--text-field") { Description = "the field or column holding the text", DefaultValueFactory = _ => "text" };

    static Option<DocumentFormat> Format() => new("--format") { Description = "how to read the input", DefaultValueFactory = _ => DocumentFormat.Auto };

    static Option<int?> Limit() => new("--limit") { Description = "read at most this many documents" };

    static Command CreateStats()
    {
        var input = InputArgument();
        var textField = TextField();
        var format = Format();
        var limit = Limit();
        var json = new Option<string?>("--json") { Description = "also write the stats as JSON to this file" };
        var command = new Command("stats", "Sizes, lengths, scripts, HTML and boilerplate, duplicates, PII, frequent n-grams, sources") { input, textField, format, limit, json };
        command.SetAction(async (parse, cancellationToken) => await CliErrors.Guard(parse, async console =>
        {
            var read = new ReadOptions(TextField: parse.GetValue(textField)!, Format: parse.GetValue(format));
            var corpus = await CorpusInput.OpenAsync(parse.GetValue(input)!, read, cancellationToken: cancellationToken);
            var documents = parse.GetValue(limit) is { } n ? corpus.Documents.Take(n) : corpus.Documents;
            var stats = DataStatsCollector.Measure(corpus.Name, documents, DataStatsOptions.Standard(), cancellationToken);
            foreach (var table in new[] { DataText.Summary(stats), DataText.Sources(stats), DataText.Ngrams(stats) })
                console.Write(ConsoleTables.ToSpectre(table));
            if (parse.GetValue(json) is { } path)
            {
                await Json.WriteFileAsync(path, stats, cancellationToken);
                console.WriteLine($"wrote {path}");
            }
            return 0;
        }));
        return command;
    }

    static Command CreateClean()
    {
        var input = InputArgument();
        var output = new Option<string>("--out") { Description = "output folder", Required = true };
        var recipe = new Option<string?>("--recipe") { Description = "a recipe JSON file (llmops data recipe writes the default one to edit)" };
        var split = new Option<string?>("--split") { Description = "train,validation,test shares, e.g. 0.9,0.05,0.05: write train/validation/test.jsonl split by content hash" };
        var reject = new Option<bool>("--reject-bad-records") { Description = "send unreadable records to rejects.jsonl and go on (default: stop with an error naming file, line and field)" };
        var textField = TextField();
        var format = Format();
        var limit = Limit();
        var command = new Command("clean", "Clean a corpus: normalise, quality filters, dedup, detox, PII; write kept documents, rejects, report and manifest")
            { input, output, recipe, split, reject, textField, format, limit };
        command.SetAction(async (parse, cancellationToken) => await CliErrors.Guard(parse, async console =>
        {
            var job = new CleaningJob(
                parse.GetValue(input)!, parse.GetValue(output)!,
                parse.GetValue(recipe) is { } recipePath ? CleaningRecipe.Load(recipePath) : null,
                new ReadOptions(TextField: parse.GetValue(textField)!, Format: parse.GetValue(format),
                    OnBadRecord: parse.GetValue(reject) ? BadRecordPolicy.Reject : BadRecordPolicy.Fail),
                parse.GetValue(split) is { } shares ? SplitRatios.Parse(shares) : null,
                parse.GetValue(limit));
            CleaningJobResult result;
            using (DisplayHook.Use(new ConsoleDisplaySink(console.Profile.Out.Writer, console.Profile.Capabilities.Interactive)))
                result = await DataCleaner.RunAsync(job, cancellationToken);
            console.Write(ConsoleTables.ToSpectre(DataText.Steps(result.Report)));
            if (result.Split is { } parts)
                console.Write(ConsoleTables.ToSpectre(DataText.Split(parts)));
            foreach (var (role, path) in result.Files)
                console.WriteLine($"{role,-10} {path}");
            console.WriteLine($"manifest id {result.Manifest.Id}");
            return 0;
        }, whenCancelled: "no corpus, report or manifest was written"));
        return command;
    }

    static Command CreateRecipe()
    {
        var output = new Option<string?>("--out") { Description = "write to this file instead of standard output" };
        var command = new Command("recipe", "Print the default cleaning recipe as JSON, to copy and edit") { output };
        command.SetAction(parse =>
        {
            string json = CleaningRecipe.Default().ToJson();
            if (parse.GetValue(output) is { } path)
                LlmOps.Core.IO.AtomicFile.WriteAllText(path, json + "\n");
            else
                parse.InvocationConfiguration.Output.WriteLine(json);
            return 0;
        });
        return command;
    }
}
