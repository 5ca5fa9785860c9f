using System.Globalization;
using LlmOps.Core.Data;
using LlmOps.Core.Data.Cleaning;
using LlmOps.Core.Data.Mixing;
using LlmOps.Core.Data.Stats;
using LlmOps.Core.Display;
using LlmOps.Core.Platform;
using LlmOps.Core.Tokenization;
using LlmOps.Core.Tracking;
using LlmOps.Core.Training;

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
    public static IReadOnlyDictionary<string, object?> Convert(MagicCommand command, IReadOnlyDictionary<string, string?> raw, int lineNumber = 0)
    {
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var parameter in command.Parameters)
        {
            string? text = raw.GetValueOrDefault(parameter.Name) ?? parameter.Default;
            if (text is null)
            {
                if (parameter.Required)
                    throw new MagicCommandException($"{command.Directive}: {parameter.Option} is required. Usage: {command.Usage}", lineNumber);
                arguments[parameter.Name] = parameter.Kind == MagicParameterKind.Flag ? false : null;
                continue;
            }
            arguments[parameter.Name] = parameter.Kind switch
            {
                MagicParameterKind.WholeNumber when int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) => i,
                MagicParameterKind.Number when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => d,
                MagicParameterKind.Flag when bool.TryParse(text, out bool b) => b,
                MagicParameterKind.Text => text,
                _ => throw new MagicCommandException(
                    $"{command.Directive}: {parameter.Option} expects {parameter.ValueName}, not '{text}'.", lineNumber),
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

    /// <summary>The project's commands. Each stage adds its own here.</summary>
    public static CommandTable CreateDefault()
    {
        var commands = new List<MagicCommand>();
        commands.Add(new MagicCommand("llmops-help", "List the LlmOps magic commands and their parameters", [],
            invocation =>
            {
                invocation.Display.Show(new CommandHelp(commands));
                return Task.CompletedTask;
            }));
        commands.Add(new MagicCommand("llmops-env", "Show the device, threads, libtorch version and a measured matmul rate",
            [
                new("device", "auto, cpu or cuda (default: $LLMOPS_DEVICE, else auto)", Positional: true),
                new("matmul-size", "side of the square fp32 matrices timed", MagicParameterKind.WholeNumber, Default: "1024"),
                new("matmul-seconds", "minimum seconds spent timing", MagicParameterKind.Number, Default: "0.5"),
            ],
            invocation =>
            {
                invocation.Display.Show(EnvironmentReport.Collect(
                    invocation.Get<string?>("device"), invocation.Get<int>("matmul-size"), invocation.Get<double>("matmul-seconds")));
                return Task.CompletedTask;
            }));
        commands.Add(new MagicCommand("llmops-smoke", "Train a small MLP on sin(x) with live progress; check the loss falls",
            [
                new("steps", "optimiser steps", MagicParameterKind.WholeNumber, Default: "400"),
                new("device", "auto, cpu or cuda"),
                new("seed", "seed for the weights", MagicParameterKind.WholeNumber, Default: "1337"),
            ],
            invocation =>
            {
                using var _ = DisplayHook.Use(invocation.Display);
                var result = SmokeTraining.Run(
                    new SmokeTrainingConfig(Steps: invocation.Get<int>("steps"), Device: invocation.Get<string?>("device"), Seed: invocation.Get<int>("seed")),
                    invocation.CancellationToken);
                invocation.Display.Show(result);
                return Task.CompletedTask;
            }));
        commands.Add(new MagicCommand("data-stats", "Measure a corpus: sizes, lengths, scripts, HTML, boilerplate, duplicates, PII, n-grams, sources",
            [
                new("input", "a catalog dataset name (e.g. spam-assassin) or a file or folder", Positional: true, Required: true),
                new("text-field", "the field or column holding the text", Default: "text"),
                new("limit", "read at most this many documents", MagicParameterKind.WholeNumber),
            ],
            async invocation =>
            {
                var corpus = await CorpusInput.OpenAsync(invocation.Get<string>("input"), new ReadOptions(TextField: invocation.Get<string>("text-field")),
                    cancellationToken: invocation.CancellationToken).ConfigureAwait(false);
                var documents = invocation.Get<int?>("limit") is { } limit ? corpus.Documents.Take(limit) : corpus.Documents;
                invocation.Display.Show(DataStatsCollector.Measure(corpus.Name, documents, DataStatsOptions.Standard(), invocation.CancellationToken));
            }));
        commands.Add(new MagicCommand("data-clean", "Clean a corpus with the default recipe (or --recipe FILE); write kept documents, rejects, report and manifest",
            [
                new("input", "a catalog dataset name or a file or folder", Positional: true, Required: true),
                new("out", "output folder", Required: true),
                new("recipe", "a recipe JSON file (llmops data recipe prints the default)"),
                new("split", "train,validation,test shares, e.g. 0.9,0.05,0.05"),
                new("text-field", "the field or column holding the text", Default: "text"),
                new("limit", "read at most this many documents", MagicParameterKind.WholeNumber),
            ],
            async invocation =>
            {
                using var _ = DisplayHook.Use(invocation.Display);
                var job = new CleaningJob(invocation.Get<string>("input"), invocation.Get<string>("out"),
                    invocation.Get<string?>("recipe") is { } recipe ? CleaningRecipe.Load(recipe) : null,
                    new ReadOptions(TextField: invocation.Get<string>("text-field")),
                    invocation.Get<string?>("split") is { } split ? SplitRatios.Parse(split) : null,
                    invocation.Get<int?>("limit"));
                var result = await DataCleaner.RunAsync(job, invocation.CancellationToken).ConfigureAwait(false);
                invocation.Display.Show(result.Report);
                if (result.Split is { } parts)
                    invocation.Display.Show(parts);
            }));
        commands.Add(new MagicCommand("tokenize", "Show how a tokenizer cuts text: coloured tokens with their ids, and the counts",
            [
                new("tokenizer", "o200k_base, cl100k_base, or a trained tokenizer's name or folder", Positional: true, Required: true),
                new("text", "the text to tokenize", Required: true),
                new("root", "folder of trained tokenizers (default: artifacts/tokenizers)"),
            ],
            invocation =>
            {
                var tokenizer = new TokenizerRegistry(invocation.Get<string?>("root")).Get(invocation.Get<string>("tokenizer"));
                invocation.Display.Show(TokenView.Of(tokenizer.Tokenizer, tokenizer.Name, invocation.Get<string>("text")));
                return Task.CompletedTask;
            }));
        commands.Add(new MagicCommand("train", "Pretrain a GPT from a config file with a live loss chart; run it again to resume from the last checkpoint",
            [
                new("config", "a pretraining config (JSON; paths relative to the file)", Positional: true, Required: true),
                new("max-steps", "override the config's step count", MagicParameterKind.WholeNumber),
            ],
            invocation =>
            {
                var config = PretrainConfig.Load(invocation.Get<string>("config"));
                if (invocation.Get<int?>("max-steps") is { } steps)
                    config = (config with { MaxSteps = steps }).Validate();
                using var _ = DisplayHook.Use(invocation.Display);
                invocation.Display.Show(Pretrainer.Run(config, invocation.CancellationToken));
                return Task.CompletedTask;
            }));
        commands.Add(new MagicCommand("runs", "List tracked runs, or compare some: overlaid metric curves and the config keys that differ",
            [
                new("compare", "comma-separated run ids (unique prefixes) to compare"),
                new("metric", "comma-separated metrics to compare (default: all)"),
                new("store", "the run store (default: $LLMOPS_RUNS, else artifacts/runs.db)"),
            ],
            invocation =>
            {
                var store = RunStore.Open(invocation.Get<string?>("store"));
                if (invocation.Get<string?>("compare") is { } ids)
                {
                    var metrics = invocation.Get<string?>("metric")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    invocation.Display.Show(store.Compare(ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), metrics));
                }
                else
                {
                    invocation.Display.Show(store.List());
                }
                return Task.CompletedTask;
            }));
        return new CommandTable(commands);
    }
}
