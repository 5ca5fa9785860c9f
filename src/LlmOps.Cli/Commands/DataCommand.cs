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

/// <summary><c>llmops data recipe</c>: the default cleaning recipe as JSON to edit (the stage declares <c>stats</c> and <c>clean</c>).</summary>
static class DataCommand
{
    public static Command Create()
    {
        // data stats and data clean are the data stage's commands (Stages/Data/DataStage.cs), added by StageVerbs.
        var command = new Command("data", "Measure and clean corpora: a catalog dataset (e.g. spam-assassin) or a file or folder");
        command.Add(CreateRecipe());
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
