using System.CommandLine;
using System.Globalization;
using LlmOps.Cli.Output;
using LlmOps.Interactive.Commands;
using LlmOps.Interactive.Documents;
using LlmOps.Interactive.Kernel;
using LlmOps.Interactive.Engine.Runner;
using Spectre.Console;

namespace LlmOps.Cli.Commands;

/// <summary><c>llmops notebook run</c>: the headless notebook runner (what CI and the README's main job use).</summary>
static class NotebookCommand
{
    public static Command Create() => new("notebook", "Run notebooks headless and write executed notebooks and HTML reports")
    {
        CreateRun(),
        CreateConvert(),
        CreateExtensionScript(),
    };

    static Command CreateConvert()
    {
        var input = new Argument<string>("input") { Description = "the notebook to read (.ipynb or .dib)" };
        var output = new Argument<string>("output") { Description = "the notebook to write (.ipynb or .dib; .dib keeps no outputs)" };
        var command = new Command("convert", "Convert a notebook between .ipynb and .dib") { input, output };
        command.SetAction(parse =>
        {
            try
            {
                var document = NotebookConverter.Load(parse.GetValue(input)!);
                NotebookConverter.Save(document, parse.GetValue(output)!);
                ConsoleFor.Output(parse).WriteLine($"wrote {parse.GetValue(output)} ({document.Cells.Count} cells)");
                return 0;
            }
            catch (Exception e) when (e is NotebookFormatException or IOException)
            {
                return CliErrors.Report(parse, e.Message, CliErrors.BadInput);
            }
        });
        return command;
    }

    static Command CreateExtensionScript()
    {
        var output = new Option<string?>("--out") { Description = "file to write (default: print it)" };
        var command = new Command("extension-script", "Write the kernel extension script (extension.dib) generated from the magic command table") { output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string script = KernelExtensionScript.Generate(LlmOps.Interactive.Stages.StageRegistry.Default.Commands);
            if (parse.GetValue(output) is { } path)
                await File.WriteAllTextAsync(path, script, cancellationToken);
            else
                await parse.InvocationConfiguration.Output.WriteAsync(script);
            return 0;
        });
        return command;
    }

    static Command CreateRun()
    {
        var inputs = new Argument<string[]>("notebooks") { Description = "notebook files (.ipynb, .dib) or folders of them", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "folder for executed notebooks, HTML reports and junit.xml", DefaultValueFactory = _ => Path.Combine("artifacts", "notebooks") };
        var parameters = new Option<string[]>("--parameter", "-p") { Description = "override a variable of the cell tagged 'parameters': -p name=value (repeatable)" };
        var timeout = new Option<double?>("--timeout") { Description = "seconds one cell may run (default: no limit)" };
        var keepGoing = new Option<bool>("--keep-going") { Description = "run the remaining cells after a failing one" };
        var command = new Command("run", "Execute notebooks top to bottom without a kernel") { inputs, output, parameters, timeout, keepGoing };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = ConsoleFor.Output(parse);
            var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string pair in parse.GetValue(parameters) ?? [])
            {
                int equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    return CliErrors.Report(parse, $"-p expects name=value, not '{pair}'", CliErrors.Usage);
                }
                overrides[pair[..equals].Trim()] = pair[(equals + 1)..];
            }
            var options = new NotebookRunOptions(
                parse.GetValue(inputs)!, Path.GetFullPath(parse.GetValue(output)!), overrides,
                parse.GetValue(timeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : null, parse.GetValue(keepGoing));

            IReadOnlyList<NotebookRunResult> results;
            try
            {
                var writer = console.Profile.Out.Writer;
                results = await new NotebookRunner(options).RunAsync(line => { writer.WriteLine(line); writer.Flush(); }, cancellationToken);
            }
            catch (FileNotFoundException e)
            {
                return CliErrors.Report(parse, e.Message, CliErrors.BadInput);
            }

            var table = new Table().Title("llmops notebook run").AddColumns("notebook", "cells", "seconds", "status");
            foreach (var result in results)
            {
                string status = result.Succeeded ? "[green]ok[/]" : $"[red]failed[/]: {Markup.Escape(Shorten(result.FirstError ?? ""))}";
                table.AddRow(Markup.Escape(Path.GetFileName(result.Source)),
                    $"{result.Cells.Count(c => c.Status is not null)}/{result.Cells.Count}",
                    result.Seconds.ToString("F1", CultureInfo.InvariantCulture), status);
            }
            console.Write(table);
            console.WriteLine($"executed notebooks and HTML reports: {options.OutputDirectory}");
            return results.All(r => r.Succeeded) ? 0 : CliErrors.BadInput; // a cell failed
        });
        return command;
    }

    static string Shorten(string text) => text.Length <= 100 ? text : text[..97] + "...";
}
