using LlmOps.Core.Display;
using LlmOps.Interactive.Commands;
using LlmOps.Tests;

namespace LlmOps.Interactive.Tests.Commands;

public class CommandTableTests
{
    static readonly MagicCommand Sample = new("train", "Train a model",
    [
        new("config", "config file", Positional: true, Required: true),
        new("steps", "steps", MagicParameterKind.WholeNumber, Default: "100"),
        new("lr", "learning rate", MagicParameterKind.Number),
        new("resume", "resume from the last checkpoint", MagicParameterKind.Flag),
    ], _ => Task.CompletedTask);

    static readonly CommandTable Table = new([Sample]);

    [Fact]
    public void Options_positionals_quotes_and_flags_bind_to_typed_values()
    {
        var (command, arguments) = Table.Bind("#!train \"my config.json\" --lr 3e-4 --resume");

        Assert.Same(Sample, command);
        Assert.Equal("my config.json", arguments["config"]);
        Assert.Equal(100, arguments["steps"]);
        Assert.Equal(3e-4, arguments["lr"]);
        Assert.Equal(true, arguments["resume"]);
    }

    [Theory]
    [InlineData("#!train", "--config is required")]
    [InlineData("#!train a.json --steps many", "--steps expects int, not 'many'")]
    [InlineData("#!train a.json --speed 3", "unknown option --speed")]
    [InlineData("#!train a.json --steps", "--steps needs a value")]
    [InlineData("#!train a.json --lr 1 --lr 2", "--lr is given twice")]
    [InlineData("#!train a.json b.json", "unexpected value 'b.json'")]
    [InlineData("#!train \"a.json", "Unterminated \" quote")]
    [InlineData("#!fly", "Unknown magic command #!fly")]
    public void Bad_lines_are_refused_with_what_is_wrong(string line, string message)
    {
        var error = Assert.Throws<MagicCommandException>(() => Table.Bind(line, lineNumber: 4));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(4, error.Line);
    }

    [Fact]
    public async Task Values_a_kernel_bound_are_checked_the_same_way()
    {
        var error = await Assert.ThrowsAsync<MagicCommandException>(() =>
            Table.InvokeAsync("train", new Dictionary<string, string?> { ["config"] = "c", ["steps"] = "x" }, new ConsoleDisplaySink(TextWriter.Null)));
        Assert.Contains("--steps expects int", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_and_help_show_every_parameter()
    {
        Assert.Equal("#!train [--config] <text> [--steps <int>] [--lr <number>] [--resume]", Sample.Usage);
        string help = new CommandHelp([Sample]).ToString();
        Assert.Contains("--steps", help, StringComparison.Ordinal);
        Assert.Contains("(default: 100)", help, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_table_has_every_stages_commands_in_help_order()
    {
        Assert.Equal(new[] { "llmops-help", "llmops-env", "llmops-smoke", "data-stats", "data-clean", "tokenize", "train", "instruct-generate", "sft", "peft", "prefer-generate", "align", "runs", "runs-show", "runs-compare", "eval", "leaderboard", "eval-build-suites" }, CommandTable.CreateDefault().Commands.Select(c => c.Name));
    }

    [Fact]
    public async Task Input_the_library_refuses_reads_as_a_magic_command_error_that_keeps_the_librarys_exception()
    {
        var table = CommandTable.CreateDefault();
        string root = RepoPaths.NewTempFolder("llmops-tokenizers");

        var error = await Assert.ThrowsAsync<MagicCommandException>(() =>
            table.InvokeAsync($"#!tokenize no-such-tokenizer --text hi --root {root}", new ConsoleDisplaySink(TextWriter.Null), lineNumber: 3));

        Assert.StartsWith("#!tokenize: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("no-such-tokenizer", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, error.Line);
        Assert.IsType<KeyNotFoundException>(error.InnerException);

        // A kernel binds values itself and passes them as strings: the same checks and messages apply.
        var missing = await Assert.ThrowsAsync<MagicCommandException>(() =>
            table.InvokeAsync("tokenize", new Dictionary<string, string?> { ["text"] = "hi" }, new ConsoleDisplaySink(TextWriter.Null)));
        Assert.StartsWith("#!tokenize: --tokenizer is required. Usage: #!tokenize", missing.Message, StringComparison.Ordinal);
    }
}
