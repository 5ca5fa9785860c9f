using System.Text;
using LlmOps.Core.Chat;
using LlmOps.Core.Modeling;
using LlmOps.Core.Tokenization;
using LlmOps.Tests;
using Microsoft.Extensions.AI;

namespace LlmOps.Core.Tests.Chat;

[Collection(ChatModelGroup.Name)]
public class LocalChatClientTests(ChatModelFixture fixture)
{
    [Fact]
    public void The_fixture_model_learned_its_answers()
    {
        // From about ln(320) = 5.8 for an untrained model to converged well within the step budget.
        Assert.True(fixture.InitialLoss > 4, $"initial loss {fixture.InitialLoss}");
        // Measured: 182 steps on an AVX-512 host, 276 with libtorch held to AVX2, 190 to SSE4.2 (docs/architecture.md).
        Assert.True(fixture.FinalLoss < ChatModelFixture.ConvergedLoss,
            $"training loss {fixture.InitialLoss} -> {fixture.FinalLoss} in {fixture.Steps} of {ChatModelFixture.MaxSteps} steps");
        Assert.True(fixture.Tokenizer.Encode("🍎").Length > 1, "the emoji should be split across byte tokens");
    }

    [Theory]
    [InlineData("What is red?", "An apple 🍎.")]
    [InlineData("What is yellow?", "A banana.")]
    [InlineData("Say hi.", "Hi there!")]
    public async Task A_greedy_answer_is_deterministic_and_stops_at_the_end_of_turn(string question, string answer)
    {
        using var client = fixture.Client();
        var first = await client.GetResponseAsync(ChatModelFixture.Ask(question));
        var second = await client.GetResponseAsync(ChatModelFixture.Ask(question));

        Assert.Equal(answer, first.Text);
        Assert.Equal(first.Text, second.Text);
        Assert.Equal(ChatFinishReason.Stop, first.FinishReason);
        Assert.Equal(ChatRole.Assistant, Assert.Single(first.Messages).Role);
        Assert.Equal("chat-tiny", first.ModelId);
        Assert.NotNull(first.ResponseId);
    }

    [Fact]
    public async Task Usage_counts_the_prompt_ids_and_the_answer_tokens()
    {
        using var client = fixture.Client();
        var messages = ChatModelFixture.Ask("What is red?");
        var response = await client.GetResponseAsync(messages);

        long input = ChatTemplate.ChatMl.Encode(messages, fixture.Tokenizer).Length;
        long output = fixture.Tokenizer.Encode("An apple 🍎.").Length + 1; // the end marker it stopped at is generated too
        Assert.Equal(input, response.Usage!.InputTokenCount);
        Assert.Equal(output, response.Usage.OutputTokenCount);
        Assert.Equal(input + output, response.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task Streaming_joins_to_the_same_answer_and_never_splits_a_character()
    {
        using var client = fixture.Client();
        var messages = ChatModelFixture.Ask("What is red?");
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages))
            updates.Add(update);
        var response = await client.GetResponseAsync(messages);

        var texts = updates.Select(u => u.Text).Where(t => t.Length > 0).ToList();
        Assert.True(texts.Count > 1, "several updates expected");
        Assert.DoesNotContain(texts, t => t.Contains('\uFFFD', StringComparison.Ordinal));
        Assert.Contains("🍎", texts); // its four byte tokens arrive as one piece
        Assert.Equal(response.Text, string.Concat(texts));

        var last = updates[^1];
        Assert.Equal(ChatFinishReason.Stop, last.FinishReason);
        var usage = Assert.Single(last.Contents.OfType<UsageContent>()).Details;
        Assert.Equal((response.Usage!.InputTokenCount, response.Usage.OutputTokenCount), (usage.InputTokenCount, usage.OutputTokenCount));
        Assert.All(updates, u => Assert.Equal((updates[0].ResponseId, "chat-tiny", ChatRole.Assistant), (u.ResponseId, u.ModelId, u.Role!.Value)));

        // And the same through Microsoft.Extensions.AI's own merge of updates.
        var merged = updates.ToChatResponse();
        Assert.Equal((response.Text, response.FinishReason), (merged.Text, merged.FinishReason));
    }

    [Fact]
    public async Task MaxOutputTokens_cuts_the_answer_with_finish_reason_length()
    {
        using var client = fixture.Client();
        var response = await client.GetResponseAsync(ChatModelFixture.Ask("What is yellow?"), new ChatOptions { MaxOutputTokens = 2 });

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(2, response.Usage!.OutputTokenCount);
        Assert.StartsWith(response.Text, "A banana.", StringComparison.Ordinal);
        Assert.True(response.Text.Length < "A banana.".Length);
    }

    [Fact]
    public async Task A_stop_sequence_ends_the_answer_before_it_with_finish_reason_stop()
    {
        using var client = fixture.Client();
        var options = new ChatOptions { StopSequences = ["nan"] };
        var response = await client.GetResponseAsync(ChatModelFixture.Ask("What is yellow?"), options);
        Assert.Equal("A ba", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);

        var streamed = new StringBuilder();
        await foreach (var update in client.GetStreamingResponseAsync(ChatModelFixture.Ask("What is yellow?"), options))
            streamed.Append(update.Text);
        Assert.Equal("A ba", streamed.ToString());
    }

    [Fact]
    public void Chat_options_map_onto_the_generation_config()
    {
        using var client = fixture.Client();
        var options = new ChatOptions
        {
            Temperature = 0.5f,
            TopP = 0.9f,
            TopK = 7,
            MaxOutputTokens = 11,
            Seed = 42,
            StopSequences = ["END"],
            AdditionalProperties = new() { [LocalChatClient.RepetitionPenaltyKey] = 1.3 },
        };
        var config = client.ToGenerationConfig(options);

        Assert.Equal((0.5, 0.9, 7, 11, 42, 1.3), (config.Temperature, config.TopP!.Value, config.TopK!.Value, config.MaxNewTokens, config.Seed!.Value, config.RepetitionPenalty), new ApproximateTuple());
        Assert.Equal(["<|im_end|>", "END", BpeTrainerConfig.EndOfText], client.StopStrings(options));
        Assert.Empty(config.StopTokenSequences);

        var defaults = client.ToGenerationConfig(null);
        Assert.Equal((0.0, 24, (int?)null), (defaults.Temperature, defaults.MaxNewTokens, defaults.Seed));
        Assert.Equal(0, client.ToGenerationConfig(new ChatOptions { Seed = (1L << 32) | 1 }).Seed); // folded: high half XOR low half
        Assert.Throws<ArgumentException>(() => client.ToGenerationConfig(new ChatOptions { TopP = 2 }));
    }

    [Fact]
    public async Task Instructions_become_a_leading_system_message()
    {
        using var client = fixture.Client();
        var messages = ChatModelFixture.Ask("Hi");
        int[] ids = client.EncodePrompt(messages, new ChatOptions { Instructions = "Be brief." });
        Assert.Equal(ChatTemplate.ChatMl.Encode([new(ChatRole.System, "Be brief."), .. messages], fixture.Tokenizer), ids);
        var response = await client.GetResponseAsync(messages, new ChatOptions { Instructions = "Be brief.", MaxOutputTokens = 3 });
        Assert.Equal(ids.Length, response.Usage!.InputTokenCount);
    }

    [Fact]
    public async Task Cancellation_is_honoured_between_tokens_and_frees_the_client()
    {
        using var client = fixture.Client();
        var question = ChatModelFixture.Ask("What is red?");
        int[] prompt = client.EncodePrompt(question);
        var config = client.ToGenerationConfig(null);

        // Directly: cancelling while the first piece is handed out stops before the next token.
        using (var cancel = new CancellationTokenSource())
        {
            int pieces = 0;
            Assert.Throws<OperationCanceledException>(() => client.Run(prompt, config, client.StopStrings(null), _ => { pieces++; cancel.Cancel(); }, cancel.Token));
            Assert.Equal(1, pieces);
        }

        // Through the interface: an already cancelled token, and cancelling after the first streamed update.
        using (var cancelled = new CancellationTokenSource())
        {
            await cancelled.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync(question, cancellationToken: cancelled.Token));
        }
        using (var cancel = new CancellationTokenSource())
        {
            int updates = 0;
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await foreach (var update in client.GetStreamingResponseAsync(question, cancellationToken: cancel.Token))
                {
                    updates++;
                    await cancel.CancelAsync();
                }
            });
            Assert.Equal(1, updates);
        }

        // Leaving a stream early stops it too; after all of that the client still answers.
        await foreach (var update in client.GetStreamingResponseAsync(question))
            break;
        Assert.Equal("An apple 🍎.", (await client.GetResponseAsync(question)).Text);
    }

    [Fact]
    public async Task Concurrent_requests_take_turns_on_the_model()
    {
        using var client = fixture.Client();
        var questions = ChatModelFixture.Dialogues.Select(d => d.Question).ToList();
        var answers = await Task.WhenAll(questions.Select(q => client.GetResponseAsync(ChatModelFixture.Ask(q))));
        Assert.Equal(ChatModelFixture.Dialogues.Select(d => d.Answer), answers.Select(a => a.Text));
    }

    [Fact]
    public void GetService_returns_metadata_and_the_parts()
    {
        using var client = fixture.Client();
        var metadata = client.GetService<ChatClientMetadata>();
        Assert.Equal((LocalChatClient.ProviderName, "chat-tiny"), (metadata!.ProviderName, metadata.DefaultModelId));
        Assert.Same(client, client.GetService<LocalChatClient>());
        Assert.Same(fixture.Tokenizer, client.GetService<LlmTokenizer>());
        Assert.Same(fixture.Model, client.GetService<Gpt>());
        Assert.Null(client.GetService<ChatClientMetadata>("some key"));
        Assert.Null(client.GetService<string>());
    }

    [Fact]
    public async Task FromCheckpoint_loads_the_model_and_the_tokenizer_it_names()
    {
        string root = RepoPaths.NewTempFolder("llmops-chat");
        var registry = new TokenizerRegistry(Path.Combine(root, "tokenizers"));
        registry.Save(fixture.TokenizerModel);
        string folder = Path.Combine(root, "chat-step-200");
        GptCheckpoint.Save(folder, fixture.Model, new CheckpointMetadata(Tokenizer: "chat-tiny"));

        using (var client = LocalChatClient.FromCheckpoint(folder, registry, defaults: GenerationConfig.Greedy(24)))
        {
            Assert.Equal("chat-step-200", client.GetService<ChatClientMetadata>()!.DefaultModelId);
            Assert.Equal("chatml", client.Template.Name);
            Assert.Equal("An apple 🍎.", (await client.GetResponseAsync(ChatModelFixture.Ask("What is red?"))).Text);
        }

        GptCheckpoint.Save(folder, fixture.Model); // no tokenizer recorded
        Assert.Throws<InvalidDataException>(() => LocalChatClient.FromCheckpoint(folder, registry));
        using var named = LocalChatClient.FromCheckpoint(folder, registry, tokenizerName: "chat-tiny");
        Assert.Same(registry.Get("chat-tiny"), named.Tokenizer);
    }

    [Fact]
    public void A_tokenizer_larger_than_the_model_is_refused()
    {
        using var small = new Gpt(new GptConfig(VocabSize: 100, BlockSize: 8, Layers: 1, Heads: 1, EmbeddingSize: 8), seed: 1);
        Assert.Throws<ArgumentException>(() => new LocalChatClient(small, fixture.Tokenizer));
    }

    /// <summary>Compares the float-derived settings with a tolerance (ChatOptions holds floats, the config doubles).</summary>
    sealed class ApproximateTuple : IEqualityComparer<(double, double, int, int, int, double)>
    {
        public bool Equals((double, double, int, int, int, double) x, (double, double, int, int, int, double) y) =>
            Math.Abs(x.Item1 - y.Item1) < 1e-6 && Math.Abs(x.Item2 - y.Item2) < 1e-6 && x.Item3 == y.Item3 && x.Item4 == y.Item4 && x.Item5 == y.Item5 && Math.Abs(x.Item6 - y.Item6) < 1e-9;

        public int GetHashCode((double, double, int, int, int, double) obj) => 0;
    }
}
