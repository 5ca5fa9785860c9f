using System.CommandLine;
using LlmOps.Cli.Output;
using LlmOps.Core.Chat;
using LlmOps.Core.Modeling;
using LlmOps.Core.Platform;
using LlmOps.Core.Tokenization;
using LlmOps.Core.Training;
using Microsoft.Extensions.AI;
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
        command.SetAction(async (parse, cancellationToken) => await CliErrors.Guard(parse, async _ =>
        {
            TorchRuntime.EnsureInitialized();
            // The completion template: the prompt is plain text, and the answer stops at end-of-text. Through the
            // chat client, the output streams whole characters and an empty prompt starts from end-of-text.
            var defaults = new GenerationConfig(MaxNewTokens: parse.GetValue(maxTokens), Temperature: parse.GetValue(temperature),
                TopK: parse.GetValue(topK), Seed: parse.GetValue(seed));
            using var client = LocalChatClient.FromCheckpoint(Resolve(parse.GetValue(checkpoint)!), new TokenizerRegistry(parse.GetValue(root)),
                template: ChatTemplate.Completion, defaults: defaults);
            var output = parse.InvocationConfiguration.Output;
            string text = parse.GetValue(prompt)!;
            output.Write(text);
            await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, text)], cancellationToken: cancellationToken))
                output.Write(update.Text);
            output.WriteLine();
            return 0;
        }));
        return command;
    }

    /// <summary>A checkpoint folder as given, or the best (else last) checkpoint of a training run's out folder.</summary>
    static string Resolve(string folder)
    {
        var checkpoints = new PretrainCheckpoints(Path.Combine(folder, "checkpoints"), keepLast: 1);
        return checkpoints.Best ?? checkpoints.Last ?? folder;
    }
}
