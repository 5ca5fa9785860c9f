using System.CommandLine;
using System.Globalization;
using LlmOps.Cli.Output;
using LlmOps.Core.Data;
using LlmOps.Core.Display;
using LlmOps.Core.Tokenization;
using LlmOps.Core.Tokenization.Shards;
using Spectre.Console;

namespace LlmOps.Cli.Commands;

/// <summary><c>llmops tokenizer train | encode | shard</c>: train a byte-level BPE, inspect encodings, shard a corpus.</summary>
static class TokenizerCommand
{
    public static Command Create()
    {
        // tokenizer encode is the tokenizer stage's command (#!tokenize), added by StageVerbs.
        var command = new Command("tokenizer", "Tokenizers: train a byte-level BPE, encode text, shard a corpus into token files");
        command.Add(CreateTrain(Root()));
        command.Add(CreateShard(Root()));
        return command;
    }

    static Option<string?> Root() => new("--root") { Description = "folder of trained tokenizers (default: artifacts/tokenizers)" };

    static Command CreateTrain(Option<string?> root)
    {
        var input = new Argument<string>("input") { Description = "a catalog dataset name, a .jsonl file (e.g. artifacts/data/sotu/train.jsonl) or a folder" };
        var name = new Option<string>("--name") { Description = "the tokenizer's name (its folder under --root)", Required = true };
        var vocab = new Option<int>("--vocab-size") { Description = "vocabulary size, special tokens included", DefaultValueFactory = _ => 8192 };
        var specials = new Option<string[]>("--special") { Description = "special tokens (default: <|endoftext|>)", AllowMultipleArgumentsPerToken = true };
        var textField = new Option<string>("--text-field") { Description = "the field holding the text", DefaultValueFactory = _ => "text" };
        var command = new Command("train", "Train a byte-level BPE (GPT-4's pre-tokenization) and save it in tiktoken's format") { input, name, vocab, specials, textField, root };
        command.SetAction(async (parse, cancellationToken) => await CliErrors.Guard(parse, async console =>
        {
            var corpus = await CorpusInput.OpenAsync(parse.GetValue(input)!, new ReadOptions(TextField: parse.GetValue(textField)!), cancellationToken: cancellationToken);
            var config = new BpeTrainerConfig(VocabSize: parse.GetValue(vocab), SpecialTokens: parse.GetValue(specials) is { Length: > 0 } s ? s : null, Name: parse.GetValue(name)!);
            BpeTrainingResult result;
            using (DisplayHook.Use(new ConsoleDisplaySink(console.Profile.Out.Writer, console.Profile.Capabilities.Interactive, render: LlmOps.Interactive.Stages.StageRegistry.Default.Text)))
                result = new BpeTrainer(config).Train(corpus.Documents.Select(d => d.Text), cancellationToken);
            var model = result.Model with { TrainedOn = ManifestIdNextTo(corpus.Path) };
            string folder = new TokenizerRegistry(parse.GetValue(root)).Save(model, config.Name);
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"trained {config.Name}: {model.VocabSize:N0} tokens from {result.Bytes / 1e6:F1} MB in {result.Seconds:F1} s ({result.MegabytesPerSecond:F1} MB/s); saved to {folder}"));
            return 0;
        }));
        return command;
    }

    static Command CreateShard(Option<string?> root)
    {
        var inputs = new Argument<string[]>("inputs") { Description = "JSONL files (e.g. artifacts/data/sotu/train.jsonl)", Arity = ArgumentArity.OneOrMore };
        var name = new Option<string>("--tokenizer") { Description = "the tokenizer (name or folder)", Required = true };
        var output = new Option<string>("--out") { Description = "output folder for the shards, index.json and manifest.json", Required = true };
        var prefix = new Option<string>("--prefix") { Description = "shard file prefix (train, val, ...)", DefaultValueFactory = _ => "train" };
        var shardTokens = new Option<long>("--shard-tokens") { Description = "tokens per shard", DefaultValueFactory = _ => ShardingOptions.DefaultMaxTokensPerShard };
        var textField = new Option<string>("--text-field") { Description = "the field holding the text", DefaultValueFactory = _ => "text" };
        var command = new Command("shard", "Encode JSONL documents into binary token shards with an index and a manifest") { inputs, name, output, prefix, shardTokens, textField, root };
        command.SetAction(async (parse, cancellationToken) => await CliErrors.Guard(parse, async console =>
        {
            var tokenizer = new TokenizerRegistry(parse.GetValue(root)).Get(parse.GetValue(name)!);
            ShardingResult result;
            using (DisplayHook.Use(new ConsoleDisplaySink(console.Profile.Out.Writer, console.Profile.Capabilities.Interactive, render: LlmOps.Interactive.Stages.StageRegistry.Default.Text)))
                result = await TokenSharder.ShardJsonlAsync(parse.GetValue(inputs)!, tokenizer.ToShardEncoder(),
                    new ShardingOptions(parse.GetValue(output)!, parse.GetValue(prefix)!, parse.GetValue(shardTokens)),
                    new ReadOptions(TextField: parse.GetValue(textField)!), cancellationToken);
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.Documents:N0} documents -> {result.Tokens:N0} tokens ({result.Index.DType}) in {result.Index.Shards.Count} shard(s), {result.MegabytesPerSecond:F1} MB/s; manifest {result.Manifest.Id}"));
            return 0;
        }));
        return command;
    }

    /// <summary>The id of the data manifest beside a corpus file (a cleaning or split run's output), when there is one.</summary>
    static string? ManifestIdNextTo(string path)
    {
        string folder = Directory.Exists(path) ? path : Path.GetDirectoryName(path) ?? ".";
        string manifest = Path.Combine(folder, DataManifest.FileName);
        return File.Exists(manifest) ? DataManifest.Load(manifest).Id : null;
    }
}
