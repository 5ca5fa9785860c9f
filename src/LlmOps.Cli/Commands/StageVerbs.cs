using System.CommandLine;
using LlmOps.Cli.Output;
using LlmOps.Core.Display;
using LlmOps.Interactive.Commands;
using LlmOps.Interactive.Stages;
using Spectre.Console;

namespace LlmOps.Cli.Commands;

/// <summary>
/// The stages' commands as <c>llmops</c> verbs: each command that names a <see cref="MagicCommand.Cli"/> path becomes
/// that verb, with the same parameters as its magic command (a positional parameter is accepted both bare and as
/// <c>--name</c>), converted and checked by the same <see cref="CommandTable.Convert"/>, and run by the same handler,
/// whose displayed values the console shows as tables, progress bars or text (<see cref="CliDisplaySink"/>).
/// </summary>
static class StageVerbs
{
    /// <summary>Adds every declared verb of <paramref name="stages"/> under <paramref name="root"/>, creating group
    /// commands (<c>data</c>, <c>tokenizer</c>) where a path needs one that does not exist yet.</summary>
    public static void AddTo(Command root, StageRegistry stages)
    {
        // Shorter paths first, so "runs" exists (with its own action) before "runs show" is added under it.
        foreach (var magic in stages.Commands.Commands.Where(c => c.Cli is not null).OrderBy(c => c.Cli!.Split(' ').Length))
        {
            string[] path = magic.Cli!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var parent = root;
            foreach (string name in path[..^1])
                parent = parent.Subcommands.FirstOrDefault(c => c.Name == name) ?? Add(parent, new Command(name, $"{name} commands"));
            parent.Add(Create(magic, string.Join(' ', path), stages));
        }
    }

    static Command Add(Command parent, Command child)
    {
        parent.Add(child);
        return child;
    }

    static Command Create(MagicCommand magic, string path, StageRegistry stages)
    {
        var verb = new Command(path.Split(' ')[^1], magic.Description);
        var read = new List<Func<ParseResult, (string Name, string? Value, bool Twice)>>();
        foreach (var p in magic.Parameters)
        {
            string description = p.Description + (p.Choices is { } choices ? $" ({string.Join(", ", choices)})" : "") + (p.Default is { } d ? $" [default: {d}]" : "");
            if (p.Kind == MagicParameterKind.Flag)
            {
                var flag = new Option<bool>(p.Option) { Description = description };
                verb.Add(flag);
                read.Add(parse => (p.Name, parse.GetValue(flag) ? "true" : null, false));
                continue;
            }
            var option = new Option<string?>(p.Option) { Description = description };
            verb.Add(option);
            if (!p.Positional)
            {
                read.Add(parse => (p.Name, parse.GetValue(option), false));
                continue;
            }
            var argument = new Argument<string?>(p.Name) { Description = description, Arity = ArgumentArity.ZeroOrOne };
            verb.Add(argument);
            read.Add(parse => (p.Name, parse.GetValue(option) ?? parse.GetValue(argument), parse.GetValue(option) is not null && parse.GetValue(argument) is not null));
        }

        verb.SetAction(async (parse, cancellationToken) => await CliErrors.Guard(parse, async console =>
        {
            var raw = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var (name, value, twice) in read.Select(r => r(parse)))
            {
                if (twice)
                    throw new MagicCommandException($"llmops {path}: --{name} is given twice (bare and as --{name}).");
                raw[name] = value;
            }
            var invocationArguments = CommandTable.Convert(magic, raw, label: $"llmops {path}");
            if (!console.Profile.Capabilities.Interactive)
                return await RunAsync(magic, invocationArguments, new CliDisplaySink(console, stages, progress: null), cancellationToken);
            return await console.Progress().AutoClear(false).StartAsync(context =>
                RunAsync(magic, invocationArguments, new CliDisplaySink(console, stages, context), cancellationToken));
        }));
        return verb;
    }

    static async Task<int> RunAsync(MagicCommand magic, IReadOnlyDictionary<string, object?> arguments, CliDisplaySink sink, CancellationToken cancellationToken)
    {
        using (sink)
        using (DisplayHook.Use(sink))
        {
            var invocation = new MagicInvocation(magic, arguments, sink, cancellationToken);
            await magic.Handler(invocation);
            return invocation.ExitCode;
        }
    }
}
