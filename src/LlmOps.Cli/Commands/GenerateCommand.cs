using System.CommandLine;
using LlmOps.Cli.Output;
using LlmOps.Core.Modeling;
using LlmOps.Core.Platform;
using LlmOps.Core.Tokenization;
using Spectre.Console;

namespace LlmOps.Cli.Commands;

/// <summary><c>llmops generate --checkpoint DIR --prompt TEXT</c>: sample from a trained GPT, streaming tokens.</summary>
static class GenerateCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "a checkpoint folder (model.safetensors + config.json), or a training out folder (its best checkpoint)", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "the text to continue", DefaultValueFactory = _ => "" };
        var maxTokens = new Option<int>("--max-tokens") { Description = "tokens to generate", DefaultValueFactory = _ => 100 };
        var temperature = new Option<double>("--temperature") { Description = "0 is greedy", DefaultValueFactory = _ => 0.8 };
        var topK = new Option<int?>("--top-k") { Description = "sample from the k most likely tokens", DefaultValueFactory = _ => 40 };
        var seed = new Option<int?>("--seed") { Description = "seed for sampling" };
        var root = new Option<string?>("--root") { Description = "folder of trained tokenizers (default: artifacts/tokenizers)" };
        var command = new Command("generate", "Sample text from a trained GPT checkpoint") { checkpoint, prompt, maxTokens, temperature, topK, seed, root };
        command.SetAction(parse =>
        {
            try
            {
                TorchRuntime.EnsureInitialized();
                using var loaded = GptCheckpoint.Load(Resolve(parse.GetValue(checkpoint)!));
                var tokenizer = new TokenizerRegistry(parse.GetValue(root)).Get(loaded.Metadata.Tokenizer
                    ?? throw new InvalidDataException($"{loaded.Folder}: the checkpoint does not name its tokenizer."));
                var output = parse.InvocationConfiguration.Output;
                string text = parse.GetValue(prompt)!;
                var ids = new List<int>(tokenizer.Encode(text));
                output.Write(text);
                int shown = text.Length;
                var config = new GenerationConfig(MaxNewTokens: parse.GetValue(maxTokens), Temperature: parse.GetValue(temperature),
                    TopK: parse.GetValue(topK), Seed: parse.GetValue(seed));
                foreach (int token in loaded.Model.Generate(ids.Count > 0 ? ids : [tokenizer.SpecialTokens.Values.First()], config))
                {
                    ids.Add(token);
                    string decoded = tokenizer.Decode(ids.ToArray());
                    if (decoded.Length > shown && !decoded.EndsWith('\uFFFD'))
                    {
                        output.Write(decoded[shown..]);
                        shown = decoded.Length;
                    }
                }
                output.WriteLine();
                return 0;
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException or KeyNotFoundException)
            {
                ConsoleFor.Error(parse).MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>A checkpoint folder as given, or the best (else last) one a training run's out folder points to.</summary>
    static string Resolve(string folder)
    {
        foreach (string pointer in new[] { "best", "last" })
        {
            string file = Path.Combine(folder, "checkpoints", pointer);
            if (File.Exists(file))
                return Path.Combine(folder, "checkpoints", File.ReadAllText(file).Trim());
        }
        return folder;
    }
}
