using LlmOps.Core.Display;
using LlmOps.Core.Tokenization;
using LlmOps.Core.Tokenization.Shards;
using LlmOps.Interactive.Commands;

namespace LlmOps.Interactive.Stages.Tokenizers;

/// <summary>The tokenizer stage: how a tokenizer cuts text, and the progress of training and sharding.</summary>
public static class TokenizerStage
{
    /// <summary>The stage's declaration.</summary>
    public static Stage Declaration { get; } = new("tokenizers", "Tokenizers: token views, comparisons, BPE training and sharding",
    [
        new MagicCommand("tokenize", "Show how a tokenizer cuts text: coloured tokens with their ids, and the counts",
            [
                new("tokenizer", "o200k_base, cl100k_base, or a trained tokenizer's name or folder", Positional: true, Required: true),
                new("text", "the text to tokenize", Required: true),
                new("specials", "how special-token text such as <|endoftext|> is treated: as plain text, as the special token, or refused",
                    Default: "plaintext", Choices: [.. Enum.GetNames<SpecialTokenPolicy>().Select(n => n.ToLowerInvariant())]),
                new("root", "folder of trained tokenizers (default: artifacts/tokenizers)"),
            ],
            invocation =>
            {
                var tokenizer = new TokenizerRegistry(invocation.Get<string?>("root")).Get(invocation.Get<string>("tokenizer"));
                var policy = Enum.Parse<SpecialTokenPolicy>(invocation.Get<string>("specials"), ignoreCase: true);
                invocation.Display.Show(tokenizer.View(invocation.Get<string>("text"), policy));
                return Task.CompletedTask;
            },
            Cli: "tokenizer encode"),
    ],
    [
        Renderer.For<TokenView>(TokenText.View, (v, _) => TokenHtml.View(v)),
        Renderer.For<TokenizerComparison>(c => TokenText.Comparison(c).ToText(), TokenHtml.Comparison, c => [TokenText.Comparison(c)]),
        Renderer.For<BpeTrainingProgress>(TokenText.Text,
            progress: p => new ConsoleProgress("BPE merges", p.MergesDone, Math.Max(1, p.MergesTotal), $"{p.Phase}")),
        Renderer.For<ShardingProgress>(TokenText.Text,
            progress: p => new ConsoleProgress("sharding", p.Documents, 0, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{p.Tokens:N0} tokens in {p.Shards} shard(s)"))),
    ]);
}
