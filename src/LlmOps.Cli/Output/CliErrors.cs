using System.CommandLine;
using LlmOps.Core.Data;
using LlmOps.Core.Datasets;
using LlmOps.Interactive.Commands;
using LlmOps.Interactive.Documents;
using Spectre.Console;

namespace LlmOps.Cli.Output;

/// <summary>
/// The one error policy of every <c>llmops</c> verb, and its exit codes (declared in <see cref="CommandExitCodes"/>):
/// <list type="bullet">
/// <item>0: done.</item>
/// <item>1 (<see cref="BadInput"/>): what the command was pointed at is missing, malformed or inconsistent (a file, a
/// record, a config, a run id, a dataset, a notebook, a cell that failed); the message names it and where.</item>
/// <item>2 (<see cref="Usage"/>): the command line itself is wrong (an unknown option value, a malformed
/// <c>-p name=value</c>, nothing to act on).</item>
/// <item>3 (<see cref="CommandExitCodes.CheckFailed"/>): the command ran and a check it was asked to make failed
/// (<c>llmops eval --baseline</c>: a metric regressed); the output names each failed check.</item>
/// <item>130 (<see cref="Cancelled"/>): stopped by Ctrl-C, as shells report an interrupted program.</item>
/// </list>
/// An expected failure prints one <c>error:</c> line; any other exception is a bug and keeps its stack trace.
/// </summary>
static class CliErrors
{
    /// <summary>The input is wrong.</summary>
    public const int BadInput = CommandExitCodes.BadInput;

    /// <summary>The command line is wrong.</summary>
    public const int Usage = CommandExitCodes.Usage;

    /// <summary>Stopped on request.</summary>
    public const int Cancelled = CommandExitCodes.Cancelled;

    /// <summary>Whether <paramref name="e"/> is the library saying its input is wrong (rather than a bug).</summary>
    public static bool IsBadInput(Exception e) => e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException
        or DataFormatException or DatasetException or NotebookFormatException or KeyNotFoundException or ArgumentException
        or NotSupportedException;

    /// <summary>Prints <paramref name="message"/> as an error line and returns <paramref name="exitCode"/>.</summary>
    public static int Report(ParseResult parse, string message, int exitCode)
    {
        ConsoleFor.Error(parse).MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
        return exitCode;
    }

    /// <summary>Runs a verb's body under the policy. <paramref name="whenCancelled"/> tells the user what a cancelled
    /// run left behind.</summary>
    public static async Task<int> Guard(ParseResult parse, Func<IAnsiConsole, Task<int>> body, string? whenCancelled = null)
    {
        try
        {
            return await body(ConsoleFor.Output(parse));
        }
        catch (MagicCommandException e) when (e.InnerException is null)
        {
            return Report(parse, e.Message, Usage); // a declared verb's arguments did not bind: the command line is wrong
        }
        catch (Exception e) when (IsBadInput(e))
        {
            return Report(parse, e.Message, BadInput);
        }
        catch (OperationCanceledException)
        {
            ConsoleFor.Error(parse).MarkupLine(whenCancelled is null ? "[yellow]cancelled[/]" : $"[yellow]cancelled[/]: {Markup.Escape(whenCancelled)}");
            return Cancelled;
        }
    }

    /// <summary>Runs a synchronous body under the policy.</summary>
    public static int Guard(ParseResult parse, Func<IAnsiConsole, int> body) =>
        Guard(parse, console => Task.FromResult(body(console))).GetAwaiter().GetResult(); // completes synchronously
}
