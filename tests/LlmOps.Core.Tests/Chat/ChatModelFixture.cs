using LlmOps.Core.Chat;
using LlmOps.Core.Modeling;
using LlmOps.Core.Platform;
using LlmOps.Core.Tokenization;
using Microsoft.Extensions.AI;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmOps.Core.Tests.Chat;

/// <summary>
/// A tokenizer and a tiny GPT trained, once per test run, to answer four questions in ChatML, so greedy answers are
/// known in advance. The tokenizer is trained on the dialogues without the emoji, so 🍎 stays four byte tokens and the
/// streaming tests see a character split across tokens. Only the answer tokens and their end marker are trained (the
/// rest of each sequence is masked), as supervised fine-tuning does.
/// </summary>
public sealed class ChatModelFixture : IDisposable
{
    public static readonly (string Question, string Answer)[] Dialogues =
    [
        ("What is red?", "An apple 🍎."),
        ("What is yellow?", "A banana."),
        ("What is green?", "A pear."),
        ("Say hi.", "Hi there!"),
    ];

    public ChatModelFixture()
    {
        TorchRuntime.EnsureInitialized();
        var template = ChatTemplate.ChatMl;
        var corpus = Enumerable.Repeat(Dialogues, 20).SelectMany(d => d)
            .Select(d => template.Render([new(ChatRole.User, d.Question), new(ChatRole.Assistant, d.Answer.Replace("🍎", "", StringComparison.Ordinal))], addGenerationPrefix: false))
            .ToList();
        TokenizerModel = new BpeTrainer(new BpeTrainerConfig(VocabSize: 320, SpecialTokens: ChatTemplate.ChatMlSpecialTokens, Name: "chat-tiny"))
            .Train(corpus).Model;
        Tokenizer = LlmTokenizer.FromModel(TokenizerModel);
        Model = new Gpt(new GptConfig(Tokenizer.VocabSize, BlockSize: 48, Layers: 2, Heads: 2, EmbeddingSize: 48), seed: 3);
        FinalLoss = Train(template);
        Model.eval();
    }

    public BpeTokenizerModel TokenizerModel { get; }

    public LlmTokenizer Tokenizer { get; }

    public Gpt Model { get; }

    public double FinalLoss { get; }

    public double InitialLoss { get; private set; }

    public int Steps { get; private set; }

    /// <summary>A client that answers greedily (the trained answers), over the shared model.</summary>
    public LocalChatClient Client(ChatTemplate? template = null, int maxNewTokens = 24) =>
        new(Model, Tokenizer, template, GenerationConfig.Greedy(maxNewTokens), modelId: "chat-tiny");

    public static ChatMessage[] Ask(string question) => [new(ChatRole.User, question)];

    double Train(ChatTemplate template)
    {
        int imEnd = Tokenizer.SpecialTokens[ChatTemplate.ImEnd];
        var rows = new List<(long[] Ids, long[] Targets)>();
        foreach (var (question, answer) in Dialogues)
        {
            int[] prompt = template.Encode(Ask(question), Tokenizer);
            int[] full = [.. prompt, .. Tokenizer.Encode(answer), imEnd];
            var targets = new long[full.Length - 1];
            for (int i = 0; i < targets.Length; i++)
                targets[i] = i + 1 >= prompt.Length ? full[i + 1] : -1;
            rows.Add(([.. full[..^1].Select(t => (long)t)], targets));
        }
        int length = rows.Max(r => r.Ids.Length);
        var ids = rows.SelectMany(r => r.Ids.Concat(Enumerable.Repeat(0L, length - r.Ids.Length))).ToArray();
        var targetIds = rows.SelectMany(r => r.Targets.Concat(Enumerable.Repeat(-1L, length - r.Targets.Length))).ToArray();
        using var x = tensor(ids, [rows.Count, length]);
        using var y = tensor(targetIds, [rows.Count, length]);

        // Trained to convergence rather than for a fixed step count: a bound on the loss after N steps has no margin
        // across hosts, whose CPU kernels (AVX2 or AVX-512) differ in the last bits, which training amplifies.
        Model.train();
        using var optimizer = optim.AdamW(Model.parameters(), lr: 1e-2, weight_decay: 0.0);
        double loss = double.NaN;
        for (int step = 0; step < MaxSteps && !(loss < ConvergedLoss); step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var value = Gpt.CrossEntropy(Model.call(x), y);
            value.backward();
            optimizer.step();
            loss = value.item<float>();
            if (step == 0)
                InitialLoss = loss;
            Steps = step + 1;
        }
        return loss;
    }

    /// <summary>Training stops once the loss is below this.</summary>
    public const double ConvergedLoss = 0.005;

    /// <summary>The most steps training may take.</summary>
    public const int MaxSteps = 1500;

    public void Dispose() => Model.Dispose();
}

[CollectionDefinition(Name)]
public sealed class ChatModelGroup : ICollectionFixture<ChatModelFixture>
{
    public const string Name = "Chat model";
}
