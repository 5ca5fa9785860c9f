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
}
