using System.CommandLine;
using LlmOps.Cli.Commands;

namespace LlmOps.Cli;

/// <summary>The root of the <c>llmops</c> command: one verb per lifecycle stage.</summary>
public static class LlmOpsCommand
{
    /// <summary>Builds the command tree. Each verb lives in its own file under Commands/.</summary>
    public static RootCommand Create() => new("llmops: the LLM engineering lifecycle in .NET, from the command line")
    {
        EnvCommand.Create(),
        SmokeCommand.Create(),
        NotebookCommand.Create(),
        DatasetsCommand.Create(),
        DataCommand.Create(),
        RunsCommand.Create(),
        TokenizerCommand.Create(),
        TrainCommand.Create(),
        GenerateCommand.Create(),
    };

    /// <summary>Parses and runs <paramref name="args"/>: what <c>Program</c> and the tests call. A command line the parser
    /// refuses (an unknown verb or option, a missing argument) prints the parser's message and exits
    /// <see cref="Output.CliErrors.Usage"/>, like every other usage error (System.CommandLine alone would exit 1, the code
    /// for bad input).</summary>
    public static async Task<int> InvokeAsync(string[] args, InvocationConfiguration? configuration = null)
    {
        var parse = Create().Parse(args);
        int exitCode = await parse.InvokeAsync(configuration);
        return parse.Errors.Count > 0 ? Output.CliErrors.Usage : exitCode;
    }
}
