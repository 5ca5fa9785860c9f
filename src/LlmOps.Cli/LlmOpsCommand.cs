using System.CommandLine;
using LlmOps.Cli.Commands;
using LlmOps.Interactive.Stages;

namespace LlmOps.Cli;

/// <summary>The root of the <c>llmops</c> command: one verb per lifecycle stage.</summary>
public static class LlmOpsCommand
{
    /// <summary>Builds the command tree: the verbs the stages declare (<see cref="StageVerbs"/>), and the host's own
    /// verbs (notebooks, dataset downloads, generation), each in its own file under Commands/.</summary>
    /// <param name="stages">The stages whose commands become verbs (default: <see cref="StageRegistry.Default"/>).</param>
    public static RootCommand Create(StageRegistry? stages = null)
    {
        var root = new RootCommand("llmops: the LLM engineering lifecycle in .NET, from the command line")
        {
            NotebookCommand.Create(),
            DatasetsCommand.Create(),
            DataCommand.Create(),
            TokenizerCommand.Create(),
            GenerateCommand.Create(),
        };
        StageVerbs.AddTo(root, stages ?? StageRegistry.Default);
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>: what <c>Program</c> and the tests call. A command line the parser
    /// refuses (an unknown verb or option, a missing argument) prints the parser's message and exits
    /// <see cref="Output.CliErrors.Usage"/>, like every other usage error (System.CommandLine alone would exit 1, the code
    /// for bad input).</summary>
    public static async Task<int> InvokeAsync(string[] args, InvocationConfiguration? configuration = null, StageRegistry? stages = null)
    {
        var parse = Create(stages).Parse(args);
        int exitCode = await parse.InvokeAsync(configuration);
        return parse.Errors.Count > 0 ? Output.CliErrors.Usage : exitCode;
    }
}
