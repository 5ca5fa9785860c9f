using System.CommandLine;
using Spectre.Console;

namespace LlmOps.Cli.Output;

/// <summary>Spectre consoles bound to the invocation's writers, so tests can capture what a verb prints.</summary>
static class ConsoleFor
{
    public static IAnsiConsole Output(ParseResult parse) => Create(parse.InvocationConfiguration.Output);

    public static IAnsiConsole Error(ParseResult parse) => Create(parse.InvocationConfiguration.Error);

    static IAnsiConsole Create(TextWriter writer) => ReferenceEquals(writer, Console.Out) || ReferenceEquals(writer, Console.Error)
        ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) })
        : AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
}
