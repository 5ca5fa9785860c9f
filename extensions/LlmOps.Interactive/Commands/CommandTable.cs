using System.Globalization;
using LlmOps.Core.Display;

namespace LlmOps.Interactive.Commands;

/// <summary>
/// The one table of magic commands. The headless engine dispatches <c>#!</c> lines through it, and the kernel
/// extension (extension.dib, generated from this table) registers each command with the kernel's directive API,
/// so a command is declared once and behaves the same in VS Code, Jupyter and CI.
/// </summary>
public sealed class CommandTable
{
    readonly Dictionary<string, MagicCommand> byName;

    /// <summary>A table of <paramref name="commands"/>; names must be unique.</summary>
    public CommandTable(IEnumerable<MagicCommand> commands)
    {
        Commands = [.. commands];
        byName = Commands.ToDictionary(c => c.Name, StringComparer.Ordinal);
        foreach (var command in Commands.Where(c => c.Parameters.Count(p => p.Positional) > 1))
            throw new ArgumentException($"#!{command.Name}: at most one parameter may be positional.");
    }

    /// <summary>The commands, in help order.</summary>
    public IReadOnlyList<MagicCommand> Commands { get; }

    /// <summary>The command named <paramref name="name"/> (without <c>#!</c>), or null.</summary>
    public MagicCommand? Find(string name) => byName.GetValueOrDefault(name.StartsWith("#!", StringComparison.Ordinal) ? name[2..] : name);

    /// <summary>Parses one <c>#!name --option value</c> line into its command and typed arguments.</summary>
    /// <exception cref="MagicCommandException">Unknown command or option, missing or malformed value; the message says which.</exception>
    public (MagicCommand Command, IReadOnlyDictionary<string, object?> Arguments) Bind(string line, int lineNumber = 0)
    {
        var words = MagicTokenizer.Split(line.Trim(), lineNumber);
        if (words.Count == 0 || !words[0].StartsWith("#!", StringComparison.Ordinal))
            throw new MagicCommandException($"Not a magic command: {line}", lineNumber);
        var command = Find(words[0]) ?? throw new MagicCommandException(
            $"Unknown magic command {words[0]}. Known: {string.Join(", ", Commands.Select(c => c.Directive))}. Run #!llmops-help for details.", lineNumber);

        var raw = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (int i = 1; i < words.Count; i++)
        {
            string word = words[i];
            var parameter = word.StartsWith("--", StringComparison.Ordinal)
                ? command.Parameters.FirstOrDefault(p => p.Option == word)
                  ?? throw new MagicCommandException($"{command.Directive}: unknown option {word}. Usage: {command.Usage}", lineNumber)
                : command.Parameters.FirstOrDefault(p => p.Positional && !raw.ContainsKey(p.Name))
                  ?? throw new MagicCommandException($"{command.Directive}: unexpected value '{word}'. Usage: {command.Usage}", lineNumber);
            if (raw.ContainsKey(parameter.Name))
                throw new MagicCommandException($"{command.Directive}: {parameter.Option} is given twice.", lineNumber);
            if (!word.StartsWith("--", StringComparison.Ordinal))
                raw[parameter.Name] = word;
            else if (parameter.Kind == MagicParameterKind.Flag)
                raw[parameter.Name] = "true";
            else if (i + 1 < words.Count)
                raw[parameter.Name] = words[++i];
            else
                throw new MagicCommandException($"{command.Directive}: {parameter.Option} needs a value.", lineNumber);
        }
        return (command, Convert(command, raw, lineNumber));
    }

    /// <summary>Converts raw text values (from a cell line, or strings a kernel bound) to typed arguments,
    /// applying defaults and checking required parameters.</summary>
    /// <param name="command">The command.</param>
    /// <param name="raw">Parameter name to text value (null or absent: not given).</param>
    /// <param name="lineNumber">The cell line, for messages (0: not from a cell).</param>
    /// <param name="label">How messages name the command (default: its directive; the CLI passes <c>llmops verb</c>).</param>
    public static IReadOnlyDictionary<string, object?> Convert(MagicCommand command, IReadOnlyDictionary<string, string?> raw, int lineNumber = 0, string? label = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(raw);
        string name = label ?? command.Directive;
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var parameter in command.Parameters)
        {
            string? text = raw.GetValueOrDefault(parameter.Name) ?? parameter.Default;
            if (text is null)
            {
                if (parameter.Required)
                    throw new MagicCommandException($"{name}: {parameter.Option} is required. Usage: {command.Usage}", lineNumber);
                arguments[parameter.Name] = parameter.Kind == MagicParameterKind.Flag ? false : null;
                continue;
            }
            arguments[parameter.Name] = parameter.Kind switch
            {
                MagicParameterKind.WholeNumber when int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) => i,
                MagicParameterKind.Number when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => d,
                MagicParameterKind.Flag when bool.TryParse(text, out bool b) => b,
                MagicParameterKind.Text when parameter.Choices is null || parameter.Choices.Contains(text, StringComparer.OrdinalIgnoreCase) => text,
                MagicParameterKind.Text => throw new MagicCommandException(
                    $"{name}: {parameter.Option} must be one of {string.Join(", ", parameter.Choices!)}, not '{text}'.", lineNumber),
                _ => throw new MagicCommandException(
                    $"{name}: {parameter.Option} expects {parameter.ValueName}, not '{text}'.", lineNumber),
            };
        }
        return arguments;
    }

    /// <summary>Runs one magic command line.</summary>
    public Task InvokeAsync(string line, IDisplaySink display, int lineNumber = 0, CancellationToken cancellationToken = default)
    {
        var (command, arguments) = Bind(line, lineNumber);
        return RunAsync(command, new MagicInvocation(command, arguments, display, cancellationToken), lineNumber);
    }

    /// <summary>Runs <paramref name="name"/> with values a host has already bound to parameter names (the kernel's
    /// directive binder); values are converted and checked exactly as for a cell line.</summary>
    public Task InvokeAsync(string name, IReadOnlyDictionary<string, string?> values, IDisplaySink display, CancellationToken cancellationToken = default)
    {
        var command = Find(name) ?? throw new MagicCommandException($"Unknown magic command #!{name}.");
        return RunAsync(command, new MagicInvocation(command, Convert(command, values), display, cancellationToken), 0);
    }

    /// <summary>
    /// Runs a bound command. The library refuses bad input with ordinary exceptions (an unknown tokenizer is a
    /// KeyNotFoundException, a missing config a FileNotFoundException); from a magic command those are the user's
    /// mistakes, so they become a <see cref="MagicCommandException"/> whose message both hosts show alone, without a stack
    /// trace (the original stays as its inner exception). Anything else is a bug and keeps its trace.
    /// </summary>
    static async Task RunAsync(MagicCommand command, MagicInvocation invocation, int lineNumber)
    {
        try
        {
            await command.Handler(invocation).ConfigureAwait(false);
        }
        catch (Exception e) when (IsInputError(e))
        {
            throw new MagicCommandException($"{command.Directive}: {e.Message}", lineNumber, e);
        }
    }

    static bool IsInputError(Exception e) =>
        e is KeyNotFoundException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException
            or LlmOps.Core.Data.DataFormatException or ArgumentOutOfRangeException
        || e.GetType() == typeof(ArgumentException); // not ArgumentNullException: a null reaching the library is a bug

    /// <summary>The project's commands: every stage's, from <see cref="Stages.StageRegistry.Default"/>.</summary>
    public static CommandTable CreateDefault() => Stages.StageRegistry.Default.Commands;

    /// <summary>A table of <paramref name="commands"/> led by <c>#!llmops-help</c>, which lists them all.</summary>
    public static CommandTable WithHelp(IEnumerable<MagicCommand> commands)
    {
        var all = new List<MagicCommand>();
        all.Add(new MagicCommand("llmops-help", "List the LlmOps magic commands and their parameters", [],
            invocation =>
            {
                invocation.Display.Show(new CommandHelp(all));
                return Task.CompletedTask;
            }));
        all.AddRange(commands);
        return new CommandTable(all);
    }
}
