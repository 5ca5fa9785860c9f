using System.CommandLine;
using LlmOps.Cli.Output;
using LlmOps.Core.Tracking;
using Spectre.Console;

namespace LlmOps.Cli.Commands;

/// <summary><c>llmops runs list | show ID | compare ID ID...</c>: the run store that training and evaluation write.</summary>
static class RunsCommand
{
    public static Command Create()
    {
        var store = new Option<string?>("--store") { Description = "the run store (default: $LLMOPS_RUNS, else artifacts/runs.db)", Recursive = true };
        var command = new Command("runs", "Tracked runs: configs, metrics over time, artifacts") { store };

        var list = new Command("list", "List runs, newest first");
        list.SetAction(parse => CliErrors.Guard(parse, console => Write(console, LlmOps.Core.Display.TrackingText.Runs(Open(parse, store).List()))));
        command.Add(list);

        var id = new Argument<string>("id") { Description = "a run id (a unique prefix is enough)" };
        var show = new Command("show", "Show one run: config, latest metrics, artifacts") { id };
        show.SetAction(parse => CliErrors.Guard(parse, console => Write(console, LlmOps.Core.Display.TrackingText.Run(Open(parse, store).Get(parse.GetValue(id)!)))));
        command.Add(show);

        var ids = new Argument<string[]>("ids") { Description = "two or more run ids", Arity = new ArgumentArity(2, 100) };
        var metric = new Option<string[]>("--metric") { Description = "metrics to compare (default: all)", AllowMultipleArgumentsPerToken = true };
        var compare = new Command("compare", "Compare runs: final metrics and the config keys that differ") { ids, metric };
        compare.SetAction(parse => CliErrors.Guard(parse, console =>
        {
            var metrics = parse.GetValue(metric) is { Length: > 0 } names ? names : null;
            return Write(console, LlmOps.Core.Display.TrackingText.Comparison(Open(parse, store).Compare(parse.GetValue(ids)!, metrics)));
        }));
        command.Add(compare);
        return command;
    }

    static RunStore Open(ParseResult parse, Option<string?> store)
    {
        string path = parse.GetValue(store) ?? RunStore.DefaultPath();
        return File.Exists(path) ? RunStore.Open(path) : throw new FileNotFoundException($"No run store at {path}: nothing has been tracked there yet (training writes it).", path);
    }

    static int Write(IAnsiConsole console, LlmOps.Core.Display.TextTable table)
    {
        console.Write(ConsoleTables.ToSpectre(table));
        return 0;
    }
}
