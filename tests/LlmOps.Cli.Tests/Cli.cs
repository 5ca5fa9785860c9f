using System.CommandLine;

namespace LlmOps.Cli.Tests;

/// <summary>Runs the real <c>llmops</c> command tree in-process, capturing what it writes.</summary>
static class Cli
{
    public static async Task<(int ExitCode, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = await LlmOpsCommand.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
